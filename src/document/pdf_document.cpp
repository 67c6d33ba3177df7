// The adapter for cairo and pango: administrative documents as PDF (see administrative_document.h).
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <functional>
#include <memory>

#include "document/administrative_document.h"

namespace dvchub::document {
namespace {

// A4 in points; margins of Decree 30: top and bottom 20 mm, left 30 mm, right 15 mm.
constexpr double page_width = 595.28;
constexpr double page_height = 841.89;
constexpr double millimetre = 72.0 / 25.4;
constexpr double left = 30 * millimetre;
constexpr double right = page_width - 15 * millimetre;
constexpr double top = 20 * millimetre;
constexpr double bottom = page_height - 20 * millimetre;
constexpr double cell_padding = 3;

struct Style {
  bool bold = false;
  bool italic = false;
  double points = 13;
  PangoAlignment alignment = PANGO_ALIGN_LEFT;
  bool justify = false;
};

// Text pango can draw: control characters other than line breaks and tabs are dropped (pango would draw them as
// hexadecimal boxes).
std::string drawable(const std::string& text) {
  std::string result;
  for (char character : text) {
    if (static_cast<unsigned char>(character) >= 0x20 || character == '\n' || character == '\t') result += character;
  }
  return result;
}

// Draws pages top to bottom, starting a new page when a block does not fit.
class Writer {
 public:
  explicit Writer(cairo_t* cairo) : cairo_(cairo) {}

  // A layout of `text` `width` points wide (not drawn).
  std::unique_ptr<PangoLayout, void (*)(void*)> layout(const std::string& text, double width, const Style& style) {
    std::unique_ptr<PangoLayout, void (*)(void*)> result(pango_cairo_create_layout(cairo_), g_object_unref);
    PangoFontDescription* font = pango_font_description_from_string("Times New Roman, DejaVu Serif");
    pango_font_description_set_absolute_size(font, style.points * PANGO_SCALE);
    pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(font, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(result.get(), font);
    pango_font_description_free(font);
    pango_layout_set_width(result.get(), int(width * PANGO_SCALE));
    pango_layout_set_wrap(result.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(result.get(), style.alignment);
    pango_layout_set_justify(result.get(), style.justify);
    const std::string clean = drawable(text);
    pango_layout_set_text(result.get(), clean.c_str(), int(clean.size()));
    return result;
  }

  static double height(PangoLayout* layout) {
    int width = 0;
    int height = 0;
    pango_layout_get_size(layout, &width, &height);
    return double(height) / PANGO_SCALE;
  }

  void draw(PangoLayout* layout, double x, double y) {
    cairo_move_to(cairo_, x, y);
    pango_cairo_show_layout(cairo_, layout);
  }

  // Makes room for `needed` points, on a new page when this one has too little left.
  void reserve(double needed) {
    if (y_ + needed > bottom && y_ > top) {
      cairo_show_page(cairo_);
      y_ = top;
    }
  }

  void paragraph(const std::string& text, const Style& style, double space_before = 3) {
    auto laid_out = layout(text, right - left, style);
    const double needed = height(laid_out.get()) + space_before;
    reserve(needed);
    draw(laid_out.get(), left, y_ + space_before);
    y_ += needed;
  }

  // Two columns without borders: each a list of (text, style).
  void two_columns(const std::vector<std::pair<std::string, Style>>& first,
                   const std::vector<std::pair<std::string, Style>>& second, double split) {
    double first_height = 0;
    double second_height = 0;
    std::vector<std::pair<std::unique_ptr<PangoLayout, void (*)(void*)>, double>> placed;
    for (const auto& [text, style] : first) {
      auto laid_out = layout(text, split - left - 6, style);
      const double line = height(laid_out.get());
      placed.emplace_back(std::move(laid_out), first_height);
      first_height += line + 2;
    }
    const std::size_t first_count = placed.size();
    for (const auto& [text, style] : second) {
      auto laid_out = layout(text, right - split, style);
      const double line = height(laid_out.get());
      placed.emplace_back(std::move(laid_out), second_height);
      second_height += line + 2;
    }
    reserve(std::max(first_height, second_height));
    for (std::size_t index = 0; index < placed.size(); ++index) {
      draw(placed[index].first.get(), index < first_count ? left : split, y_ + placed[index].second);
    }
    y_ += std::max(first_height, second_height) + 8;
  }

  void table(const Table& table) {
    const std::size_t columns = std::max<std::size_t>(table.headers.size(), 1);
    const double width = (right - left) / double(columns);
    auto row = [&](const std::vector<std::string>& cells, bool header) {
      std::vector<std::unique_ptr<PangoLayout, void (*)(void*)>> layouts;
      double row_height = 0;
      for (std::size_t column = 0; column < columns; ++column) {
        layouts.push_back(layout(column < cells.size() ? cells[column] : std::string(), width - 2 * cell_padding,
                                 Style{header, false, 11, header ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT, false}));
        row_height = std::max(row_height, height(layouts.back().get()) + 2 * cell_padding);
      }
      reserve(row_height);
      cairo_set_line_width(cairo_, 0.5);
      for (std::size_t column = 0; column < columns; ++column) {
        const double x = left + width * double(column);
        cairo_rectangle(cairo_, x, y_, width, row_height);
        cairo_stroke(cairo_);
        draw(layouts[column].get(), x + cell_padding, y_ + cell_padding);
      }
      y_ += row_height;
    };
    row(table.headers, true);
    for (const auto& cells : table.rows) row(cells, false);
    y_ += 6;
  }

 private:
  cairo_t* cairo_;
  double y_ = top;
};

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<std::string> write_pdf(const AdministrativeDocument& document) {
  for (const auto& block : document.body) {
    if (const auto* table = std::get_if<Table>(&block)) {
      for (const auto& row : table->rows) {
        if (row.size() > table->headers.size()) {
          return fail(ErrorCode::invalid_input, "Một dòng của bảng có nhiều ô hơn số cột");
        }
      }
    }
  }
  std::string bytes;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append_bytes, &bytes, page_width, page_height);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, (document.kind + " " + document.subject).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "dvchub");
  cairo_t* cairo = cairo_create(surface);
  cairo_set_source_rgb(cairo, 0, 0, 0);
  {
    Writer writer(cairo);
    const Style centered{false, false, 12, PANGO_ALIGN_CENTER, false};
    Style bold_centered = centered;
    bold_centered.bold = true;
    Style italic_centered = centered;
    italic_centered.italic = true;
    std::vector<std::pair<std::string, Style>> issuer;
    if (!document.governing_body.empty()) issuer.emplace_back(document.governing_body, centered);
    issuer.emplace_back(document.issuing_body, bold_centered);
    issuer.emplace_back(document.number, centered);
    Style motto = bold_centered;
    motto.points = 11;
    writer.two_columns(issuer,
                       {{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto},
                        {"Độc lập - Tự do - Hạnh phúc", bold_centered},
                        {document.place_and_date, italic_centered}},
                       left + 62 * millimetre);
    Style title = bold_centered;
    title.points = 13.5;
    writer.paragraph(document.kind, title, 8);
    writer.paragraph(document.subject, title);
    for (const auto& block : document.body) {
      if (const auto* text = std::get_if<Paragraph>(&block)) {
        const bool heading = text->style != Paragraph::Style::body;
        writer.paragraph(text->text,
                         Style{heading, text->style == Paragraph::Style::subheading, 13, PANGO_ALIGN_LEFT, !heading},
                         heading ? 6 : 3);
      } else {
        writer.table(std::get<Table>(block));
      }
    }
    writer.paragraph("", centered, 6);  // a blank line before the closing
    std::vector<std::pair<std::string, Style>> recipients{{"Nơi nhận:", Style{true, true, 12}}};
    for (const auto& line : document.recipients) recipients.emplace_back(line, Style{false, false, 11});
    writer.two_columns(recipients,
                       {{document.signer_title, bold_centered}, {"\n\n\n", centered}, {document.signer_name, bold_centered}},
                       left + 85 * millimetre);
  }
  cairo_destroy(cairo);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return fail(ErrorCode::internal, "Không tạo được tệp PDF", cairo_status_to_string(status));
  }
  return bytes;
}

}  // namespace dvchub::document

#if defined(__SANITIZE_ADDRESS__)
// Fontconfig keeps its configuration and font caches for the life of the process by design, and LeakSanitizer counts
// them as leaks at exit; they are not ours to free (FcFini would pull the configuration from under pango).
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif
