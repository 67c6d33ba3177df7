#include "kpi/upload_routes.h"

#include <sstream>

#include "http/error_mapping.h"
#include "multipart/form_data.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::kpi {
namespace {

constexpr const char* upload_path = "/quan-tri/chi-so/nhap-du-lieu";

// What one upload did, whatever was imported.
struct UploadOutcome {
  std::string kind_label;
  std::size_t rows_read = 0;
  std::size_t accepted = 0;
  std::string accepted_detail;  // "12 mới, 3 thay thế"
  std::size_t rejected_count = 0;
  std::vector<RowRejection> rejected;  // the kept ones
  std::vector<std::pair<std::string, std::size_t>> unknown_units;
  std::vector<std::pair<std::string, std::size_t>> unknown_procedures;
};

const char* kind_label(const std::string& kind) {
  if (kind == "dossiers") return "Hồ sơ (tệp xuất của hệ thống một cửa)";
  if (kind == "catalogue") return "Danh mục thủ tục hành chính";
  if (kind == "population") return "Dân số trưởng thành";
  return "";
}

template <typename Map>
std::vector<std::pair<std::string, std::size_t>> listed(const Map& map) {
  return {map.begin(), map.end()};
}

Result<UploadOutcome> import_upload(KpiService& kpi, catalogue::CatalogueService& catalogue, const std::string& kind,
                                    const std::string& content, const audit::Actor& actor) {
  UploadOutcome outcome;
  outcome.kind_label = kind_label(kind);
  if (kind == "dossiers") {
    std::istringstream input(content);
    auto report = DVCHUB_TRY(kpi.import_dossiers(input));
    outcome.rows_read = report.rows_read;
    outcome.accepted = report.created + report.replaced;
    outcome.accepted_detail = std::to_string(report.created) + " hồ sơ mới, " + std::to_string(report.replaced) +
                              " hồ sơ thay bản cũ";
    outcome.rejected_count = report.rejected_count;
    outcome.rejected = std::move(report.rejected);
    outcome.unknown_units = listed(report.unknown_units);
    outcome.unknown_procedures = listed(report.unknown_procedures);
  } else if (kind == "population") {
    std::istringstream input(content);
    auto report = DVCHUB_TRY(kpi.import_population(input));
    outcome.rows_read = report.rows_read;
    outcome.accepted = report.stored;
    outcome.rejected_count = report.rejected_count;
    outcome.rejected = std::move(report.rejected);
    outcome.unknown_units = listed(report.unknown_units);
  } else {
    auto summary = DVCHUB_TRY(catalogue.import_text(content, actor));
    // A changed CungCapTrucTuyen changes which dossiers count as toàn trình: the counters are recounted, as the CLI
    // does after `dvchub import catalogue`.
    if (summary.created + summary.updated > 0) DVCHUB_TRY(kpi.recount());
    outcome.accepted = summary.created + summary.updated + summary.unchanged;
    outcome.rows_read = outcome.accepted + summary.rejected.size();
    outcome.accepted_detail = std::to_string(summary.created) + " thêm, " + std::to_string(summary.updated) +
                              " cập nhật, " + std::to_string(summary.unchanged) + " không đổi";
    outcome.rejected_count = summary.rejected.size();
    for (const auto& rejected : summary.rejected) {
      // The catalogue names the line in the field ("dòng 12"); it says no more about the column than its message.
      RowRejection row;
      const std::string& where = rejected.field;
      const auto digits = where.find_first_of("0123456789");
      if (digits != std::string::npos) row.line = std::size_t(std::stoull(where.substr(digits)));
      row.reason = rejected.message;
      outcome.rejected.push_back(std::move(row));
    }
  }
  return outcome;
}

http::Response upload_page(int status, const http::Request& request, const std::string& kind,
                           const std::string& error, const UploadOutcome* outcome) {
  web::View view;
  auto kinds = web::View::list();
  for (const char* key : {"dossiers", "catalogue", "population"}) {
    web::View choice;
    choice.set("key", key);
    choice.set("label", kind_label(key));
    choice.set("selected", kind == key);
    kinds.push(std::move(choice));
  }
  view.set("kinds", std::move(kinds));
  view.set("limit_mib", std::to_string(upload_file_limit / (1024 * 1024)));
  view.set("error", error);
  if (outcome) {
    web::View result;
    result.set("kind", outcome->kind_label);
    result.set("rows_read", std::to_string(outcome->rows_read));
    result.set("accepted", std::to_string(outcome->accepted));
    result.set("accepted_detail", outcome->accepted_detail);
    result.set("rejected_count", std::to_string(outcome->rejected_count));
    result.set("has_rejected", !outcome->rejected.empty());
    result.set("more_rejected", outcome->rejected_count > outcome->rejected.size()
                                    ? std::to_string(outcome->rejected_count - outcome->rejected.size())
                                    : std::string());
    auto rows = web::View::list();
    for (const auto& rejected : outcome->rejected) {
      web::View row;
      row.set("line", rejected.line ? std::to_string(rejected.line) : std::string("—"));
      row.set("field", rejected.field.empty() ? std::string("—") : rejected.field);
      row.set("reason", rejected.reason);
      rows.push(std::move(row));
    }
    result.set("rejected", std::move(rows));
    auto codes = [](const std::vector<std::pair<std::string, std::size_t>>& list) {
      auto items = web::View::list();
      for (const auto& [code, count] : list) {
        web::View item;
        item.set("code", code);
        item.set("rows", std::to_string(count));
        items.push(std::move(item));
      }
      return items;
    };
    result.set("has_unknown_units", !outcome->unknown_units.empty());
    result.set("unknown_units", codes(outcome->unknown_units));
    result.set("has_unknown_procedures", !outcome->unknown_procedures.empty());
    result.set("unknown_procedures", codes(outcome->unknown_procedures));
    view.set("result", std::move(result));
  }
  return web::render_page(status, "kpi_upload", std::move(view),
                          web::PageContext{"Nhập dữ liệu chỉ số", web::principal_of(request), "kpi", {}});
}

http::Response upload_form(KpiService& kpi, catalogue::CatalogueService& catalogue, http::Request& request) {
  multipart::Limits limits;
  limits.max_parts = 6;  // the CSRF token, the kind and the file, with room for a browser's extras
  limits.max_field_bytes = 1024;
  limits.max_file_bytes = upload_file_limit;
  auto form = multipart::parse_form_data(request.headers.get("Content-Type").value_or(""), request.body, limits);
  if (!form) return upload_page(http::http_status(form.error().code), request, "", form.error().message, nullptr);
  const std::string kind = form->field("kind").value_or("");
  if (std::string(kind_label(kind)).empty()) {
    return upload_page(400, request, "", "Chọn loại dữ liệu: hồ sơ, danh mục thủ tục hoặc dân số", nullptr);
  }
  const multipart::Part* file = form->file("file");
  if (!file) return upload_page(400, request, kind, "Chọn tệp CSV hoặc JSON Lines để tải lên", nullptr);
  auto outcome = import_upload(kpi, catalogue, kind, file->content, web::actor_of(request));
  if (!outcome) {
    const auto& error = outcome.error();
    return upload_page(http::http_status(error.code), request, kind,
                       "Không nhập được tệp: " + (error.fields.empty() ? error.message : error.fields.front().message),
                       nullptr);
  }
  return upload_page(200, request, kind, "", &*outcome);
}

}  // namespace

void register_kpi_upload_routes(http::Router& router, KpiService& kpi, catalogue::CatalogueService& catalogue) {
  router.add(http::Method::get, upload_path,
             [](http::Request& request) { return upload_page(200, request, "dossiers", "", nullptr); },
             http::route_options(http::Access::coordinator, 0, "Trang nhập dữ liệu chỉ số (cán bộ điều phối)"));
  router.add(http::Method::post, upload_path,
             [&kpi, &catalogue](http::Request& request) { return upload_form(kpi, catalogue, request); },
             http::route_options(http::Access::coordinator, upload_file_limit + 64 * 1024,
                                 "Nhập hồ sơ, danh mục thủ tục hoặc dân số từ tệp tải lên"));
}

}  // namespace dvchub::kpi
