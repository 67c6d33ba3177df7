// multipart/form_data.cpp — multipart/form-data through GMime's MIME parser.
#include "multipart/form_data.h"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>

#include "core/strings.h"

namespace dvchub::multipart {
namespace {

struct ObjectRelease {
  void operator()(gpointer object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using Owned = std::unique_ptr<T, ObjectRelease>;

struct TextRelease {
  void operator()(char* text) const { g_free(text); }
};

void initialise_once() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string lower_case(std::string_view text) {
  std::string lowered(text);
  for (char& character : lowered) {
    if (character >= 'A' && character <= 'Z') character = static_cast<char>(character - 'A' + 'a');
  }
  return lowered;
}

tl::unexpected<Error> malformed(std::string detail) {
  return fail(ErrorCode::invalid_input, "Biểu mẫu gửi lên không đúng định dạng multipart/form-data",
              std::move(detail));
}

// The decoded bytes of one leaf part.
std::string content_of(GMimePart* part) {
  GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
  if (wrapper == nullptr) return {};
  Owned<GMimeStream> sink(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(wrapper, sink.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(sink.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// "10 MB", "512 KB": a limit as people read it.
std::string size_text(std::size_t bytes) {
  if (bytes >= 1024 * 1024) return std::to_string(bytes / (1024 * 1024)) + " MB";
  return std::to_string(bytes / 1024) + " KB";
}

}  // namespace

std::optional<std::string> FormData::field(std::string_view name) const {
  for (const Part& part : parts_) {
    if (part.name == name && !part.filename) return part.content;
  }
  return std::nullopt;
}

const Part* FormData::file(std::string_view name) const {
  for (const Part& part : parts_) {
    if (part.name == name && part.filename && !(part.filename->empty() && part.content.empty())) return &part;
  }
  return nullptr;
}

bool is_form_data(std::string_view content_type) {
  return lower_case(trimmed(content_type)).starts_with("multipart/form-data");
}

Result<FormData> parse_form_data(std::string_view content_type, std::string_view body, const Limits& limits) {
  if (!is_form_data(content_type)) return malformed("Content-Type is not multipart/form-data");
  if (content_type.find_first_of("\r\n") != std::string_view::npos) return malformed("line break in Content-Type");
  initialise_once();

  // GMime parses a MIME entity: the request's Content-Type becomes the entity's only header.
  std::string entity = "Content-Type: ";
  entity.append(content_type).append("\r\n\r\n").append(body);
  Owned<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(entity.data(), entity.size()));
  Owned<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  Owned<GMimeObject> root(g_mime_parser_construct_part(parser.get(), nullptr));
  if (!root || !GMIME_IS_MULTIPART(root.get())) return malformed("not a multipart entity");

  auto* multipart = GMIME_MULTIPART(root.get());
  const char* boundary = g_mime_multipart_get_boundary(multipart);
  if (boundary == nullptr || *boundary == '\0') return malformed("no boundary");
  // A body cut short (a dropped connection, a client bug) has no closing delimiter: refuse it rather than keep a
  // truncated file.
  if (body.find(std::string("--") + boundary + "--") == std::string_view::npos) return malformed("no closing boundary");

  const int count = g_mime_multipart_get_count(multipart);
  if (count < 0 || static_cast<std::size_t>(count) > limits.max_parts) {
    return fail(ErrorCode::invalid_input, "Biểu mẫu có quá nhiều phần (tối đa " + std::to_string(limits.max_parts) + ")");
  }
  std::vector<Part> parts;
  parts.reserve(static_cast<std::size_t>(count));
  for (int index = 0; index < count; ++index) {
    GMimeObject* child = g_mime_multipart_get_part(multipart, index);
    if (!GMIME_IS_PART(child)) return malformed("nested multipart");
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(child);
    const char* name = disposition ? g_mime_content_disposition_get_parameter(disposition, "name") : nullptr;
    if (name == nullptr || *name == '\0') return malformed("part without a name");

    Part part;
    part.name = name;
    if (const char* filename = g_mime_content_disposition_get_parameter(disposition, "filename")) {
      part.filename = filename;
    }
    std::unique_ptr<char, TextRelease> mime_type(g_mime_content_type_get_mime_type(g_mime_object_get_content_type(child)));
    part.content_type = mime_type ? mime_type.get() : "text/plain";
    part.content = content_of(GMIME_PART(child));
    if (part.filename && part.content.size() > limits.max_file_bytes) {
      return fail(ErrorCode::payload_too_large,
                  "Tệp «" + *part.filename + "» vượt quá dung lượng cho phép (" + size_text(limits.max_file_bytes) + ")");
    }
    if (!part.filename && part.content.size() > limits.max_field_bytes) {
      return fail(ErrorCode::invalid_input, "Trường «" + part.name + "» quá dài");
    }
    parts.push_back(std::move(part));
  }
  return FormData(std::move(parts));
}

}  // namespace dvchub::multipart
