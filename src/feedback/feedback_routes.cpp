#include "feedback/feedback_routes.h"

#include <charconv>
#include <cstdio>

#include "core/dates.h"
#include "core/strings.h"
#include "csv/csv_writer.h"
#include "spreadsheet/spreadsheet.h"
#include "http/error_mapping.h"
#include "json/json.h"
#include "web/numbers.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::feedback {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

json::Value optional_instant(const std::optional<TimePoint>& instant) {
  if (!instant) return nullptr;
  return json::Value(format_iso_instant(*instant));
}

json::Object item_json(const Item& item) {
  json::Object object;
  object["tracking_code"] = item.tracking_code;
  object["kind"] = item.kind;
  object["subject"] = item.subject;
  object["title"] = item.title;
  object["body"] = item.body;
  if (item.unit_code.empty()) {
    object["unit"] = nullptr;
  } else {
    json::Object unit;
    unit["code"] = item.unit_code;
    unit["name"] = item.unit_name;
    object["unit"] = std::move(unit);
  }
  object["status"] = item.status;
  object["status_label"] = status_label(item.status);
  object["received_at"] = format_iso_instant(item.received_at);
  object["due_at"] = format_iso_instant(item.due_at);
  object["answer_due_at"] = optional_instant(item.answer_due_at);
  object["answer"] = json::optional_string(item.answer.empty() ? std::nullopt : std::optional(item.answer));
  object["answered_at"] = optional_instant(item.answered_at);
  if (item.answered_on_time) object["answered_on_time"] = *item.answered_on_time;
  else object["answered_on_time"] = nullptr;
  object["published_at"] = optional_instant(item.published_at);
  object["rejection_reason"] =
      json::optional_string(item.rejection_reason.empty() ? std::nullopt : std::optional(item.rejection_reason));
  object["overdue"] = item.overdue;
  json::Array events;
  for (const auto& event : item.events) {
    json::Object entry;
    entry["at"] = format_iso_instant(event.occurred_at);
    entry["step"] = event.step;
    entry["label"] = step_label(event.step);
    entry["note"] = json::optional_string(event.note.empty() ? std::nullopt : std::optional(event.note));
    events.push_back(std::move(entry));
  }
  object["events"] = std::move(events);
  return object;
}

// Reads an optional string member into `target`, adding a message when it has another type.
void read_text(const json::Object& object, std::string_view key, const std::string& field, std::string& target,
               std::vector<FieldError>& errors) {
  auto value = json::read_string(object, key);
  if (!value.type_ok) errors.push_back({field, "Phải là một chuỗi ký tự"});
  else if (value.value) target = *value.value;
}

Result<Submission> submission_from_json(std::string_view body) {
  auto object = json::parse_request_body(body);
  if (!object) return tl::unexpected(object.error());
  Submission submission;
  std::vector<FieldError> errors;
  read_text(*object, "kind", "kind", submission.kind, errors);
  read_text(*object, "subject", "subject", submission.subject, errors);
  read_text(*object, "title", "title", submission.title, errors);
  read_text(*object, "body", "body", submission.body, errors);
  read_text(*object, "unit_code", "unit_code", submission.unit_code, errors);
  read_text(*object, "procedure_code", "procedure_code", submission.procedure_code, errors);
  read_text(*object, "dossier_code", "dossier_code", submission.dossier_code, errors);
  if (auto contact = object->find("contact"); contact != object->end() && !contact->value().is_null()) {
    if (!contact->value().is_object()) {
      errors.push_back({"contact", "Phải là một đối tượng {name, phone, email}"});
    } else {
      const auto& details = contact->value().as_object();
      read_text(details, "name", "contact.name", submission.contact_name, errors);
      read_text(details, "phone", "contact.phone", submission.contact_phone, errors);
      read_text(details, "email", "contact.email", submission.contact_email, errors);
    }
  }
  auto consent = object->find("consent_publish");
  if (consent == object->end() || consent->value().is_null()) {
    errors.push_back({"consent_publish", "Cần cho biết có đồng ý công bố nội dung (đã che thông tin cá nhân) hay không"});
  } else if (!consent->value().is_bool()) {
    errors.push_back({"consent_publish", "Phải là true hoặc false"});
  } else {
    submission.consent_publish = consent->value().as_bool();
  }
  if (!errors.empty()) return fail_fields(std::move(errors));
  return submission;
}

Response submit_api(FeedbackService& feedback, Request& request) {
  auto submission = submission_from_json(request.body);
  if (!submission) return web::json_error(submission.error());
  auto receipt = feedback.submit(*submission, web::actor_of(request));
  if (!receipt) return web::json_error(receipt.error());
  json::Object body;
  body["id"] = receipt->id;
  body["tracking_code"] = receipt->tracking_code;
  body["status"] = receipt->status;
  body["due_at"] = format_iso_instant(receipt->due_at);
  auto response = web::json_response(201, json::serialize(body));
  response.headers.set("Location", "/api/v1/feedback/" + receipt->tracking_code);
  return response;
}

Response track_api(FeedbackService& feedback, Request& request) {
  auto item = feedback.track(request.path_parameter("code"));
  if (!item) return web::json_error(item.error());
  return web::json_response(200, json::serialize(item_json(*item)));
}

int page_number(const Request& request) {
  const std::string text = request.query_parameter("page").value_or(request.query_parameter("trang").value_or("1"));
  int page = 1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), page);
  if (error != std::errc() || end != text.data() + text.size() || page < 1) return 1;
  return std::min(page, 100000);
}

Response list_api(FeedbackService& feedback, Request& request) {
  if (request.query_parameter("status").value_or("published") != "published") {
    return web::json_error(
        Error{ErrorCode::invalid_input, "Dữ liệu gửi lên chưa hợp lệ",
              {{"status", "Chỉ danh sách câu trả lời đã công bố là công khai (status=published)"}}, {}});
  }
  auto page = feedback.published({request.query_parameter("q").value_or(""),
                                  request.query_parameter("unit").value_or(""), page_number(request)});
  if (!page) return web::json_error(page.error());
  json::Array items;
  for (const auto& item : page->items) items.push_back(item_json(item));
  json::Object body;
  body["items"] = std::move(items);
  body["total"] = page->total;
  body["total_is_minimum"] = page->total_is_minimum;
  body["page"] = page->page;
  body["page_size"] = page->page_size;
  return web::json_response(200, json::serialize(body));
}

struct Period {
  std::chrono::year_month_day from;
  std::chrono::year_month_day to;
};

Result<Period> period_of(const Request& request, const units::UnitService& units) {
  const std::string today = units.today();
  auto to_text = DVCHUB_TRY(web::day_parameter(request, "to", today));
  auto from_text = DVCHUB_TRY(web::day_parameter(request, "from", to_text.substr(0, 4) + "-01-01"));
  return Period{*parse_iso_date(from_text), *parse_iso_date(to_text)};
}

json::Value optional_number(const std::optional<double>& number) {
  if (!number) return nullptr;
  return *number;
}

void add_statistics(json::Object& body, const Statistics& statistics) {
  body["received"] = statistics.received;
  body["rejected"] = statistics.rejected;
  body["answered"] = statistics.answered;
  body["answered_on_time"] = statistics.answered_on_time;
  body["published"] = statistics.published;
  body["overdue"] = statistics.overdue;
  body["average_working_days_to_answer"] = optional_number(statistics.average_working_days_to_answer);
  body["ratings"] = statistics.ratings;
  body["satisfied"] = statistics.satisfied;
  body["satisfied_share"] = optional_number(statistics.satisfied_share);
}

// A share as CSV wants it: "0.875", or empty.
std::string share_number(const std::optional<double>& share) {
  if (!share) return {};
  char text[24];
  std::snprintf(text, sizeof text, "%.4f", *share);
  return text;
}

Response league_api(FeedbackService& feedback, units::UnitService& units, Request& request) {
  auto period = period_of(request, units);
  if (!period) return web::json_error(period.error());
  const std::string format = request.query_parameter("format").value_or("json");
  if (format != "json" && format != "csv" && format != "xlsx") {
    return web::json_error(Error{ErrorCode::invalid_input, "Dữ liệu gửi lên chưa hợp lệ",
                                 {{"format", "Định dạng phải là json, csv hoặc xlsx"}}, {}});
  }
  auto league = feedback.league(period->from, period->to);
  if (!league) return web::json_error(league.error());
  const std::string file_name =
      "phan-anh-bang-xep-hang-" + format_iso_date(period->from) + "-" + format_iso_date(period->to);
  if (format == "xlsx") {
    using spreadsheet::Cell;
    using spreadsheet::ColumnFormat;
    spreadsheet::Sheet sheet;
    sheet.name = "Bảng xếp hạng";
    sheet.title = "Xử lý phản ánh, kiến nghị từ " + format_display_date(period->from) + " đến " +
                  format_display_date(period->to);
    sheet.columns = {{"Hạng", 6, ColumnFormat::integer},          {"Mã đơn vị", 12, ColumnFormat::general},
                     {"Đơn vị", 36, ColumnFormat::general},      {"Tiếp nhận", 11, ColumnFormat::integer},
                     {"Từ chối", 9, ColumnFormat::integer},      {"Đã trả lời", 11, ColumnFormat::integer},
                     {"Đúng hạn", 10, ColumnFormat::integer},    {"Tỷ lệ đúng hạn", 14, ColumnFormat::percent},
                     {"Đã công bố", 11, ColumnFormat::integer},  {"Quá hạn", 9, ColumnFormat::integer},
                     {"Số ngày làm việc (TB)", 20, ColumnFormat::general}, {"Đánh giá", 10, ColumnFormat::integer},
                     {"Hài lòng", 10, ColumnFormat::integer},    {"Tỷ lệ hài lòng", 14, ColumnFormat::percent}};
    auto optional_cell = [](const std::optional<double>& value) { return value ? Cell{*value} : Cell{}; };
    std::int64_t rank = 0;
    for (const auto& line : *league) {
      const auto& figures = line.statistics;
      sheet.rows.push_back({Cell{++rank}, Cell{line.unit_code}, Cell{line.unit_name}, Cell{figures.received},
                            Cell{figures.rejected}, Cell{figures.answered}, Cell{figures.answered_on_time},
                            optional_cell(line.on_time_share), Cell{figures.published}, Cell{figures.overdue},
                            optional_cell(figures.average_working_days_to_answer), Cell{figures.ratings},
                            Cell{figures.satisfied}, optional_cell(figures.satisfied_share)});
    }
    auto bytes = spreadsheet::write_xlsx({"Bảng xếp hạng xử lý phản ánh", "dvchub", {std::move(sheet)}});
    if (!bytes) return web::json_error(bytes.error());
    auto response = Response::text(200, std::move(*bytes),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    response.headers.set("Content-Disposition", "attachment; filename=\"" + file_name + ".xlsx\"");
    return response;
  }
  if (format == "csv") {
    std::string text(csv::utf8_byte_order_mark);
    text += csv::record({"hang", "ma_don_vi", "don_vi", "tiep_nhan", "tu_choi", "da_tra_loi", "dung_han",
                         "ty_le_dung_han", "da_cong_bo", "qua_han", "so_ngay_lam_viec_tb", "danh_gia", "hai_long",
                         "ty_le_hai_long"});
    int rank = 0;
    for (const auto& line : *league) {
      const auto& figures = line.statistics;
      char days[24] = "";
      if (figures.average_working_days_to_answer) {
        std::snprintf(days, sizeof days, "%.2f", *figures.average_working_days_to_answer);
      }
      text += csv::record({std::to_string(++rank), line.unit_code, line.unit_name, std::to_string(figures.received),
                           std::to_string(figures.rejected), std::to_string(figures.answered),
                           std::to_string(figures.answered_on_time), share_number(line.on_time_share),
                           std::to_string(figures.published), std::to_string(figures.overdue), days,
                           std::to_string(figures.ratings), std::to_string(figures.satisfied),
                           share_number(figures.satisfied_share)});
    }
    auto response = Response::text(200, std::move(text), "text/csv; charset=utf-8");
    response.headers.set("Content-Disposition", "attachment; filename=\"" + file_name + ".csv\"");
    return response;
  }
  json::Array rows;
  for (const auto& line : *league) {
    json::Object row;
    row["unit"] = line.unit_code.empty() ? json::Value(nullptr) : json::Value(line.unit_code);
    row["unit_name"] = line.unit_name;
    row["on_time_share"] = optional_number(line.on_time_share);
    add_statistics(row, line.statistics);
    rows.push_back(std::move(row));
  }
  json::Object body;
  body["from"] = format_iso_date(period->from);
  body["to"] = format_iso_date(period->to);
  body["units"] = std::move(rows);
  return web::json_response(200, json::serialize(body));
}

json::Object rating_json(const RatingSummary& summary) {
  json::Object object;
  object["responses"] = summary.responses;
  json::Array counts;
  for (auto count : summary.by_rating) counts.push_back(count);
  object["by_rating"] = std::move(counts);
  object["satisfied"] = summary.satisfied;
  object["satisfied_share"] = optional_number(summary.satisfied_share);
  object["score"] = optional_number(summary.score);
  return object;
}

json::Object survey_json(const SurveyStatistics& statistics) {
  json::Object object = rating_json(statistics.overall);
  json::Object dimensions;
  for (std::size_t index = 0; index < survey_dimensions.size(); ++index) {
    dimensions[survey_dimensions[index]] = rating_json(statistics.dimensions[index]);
  }
  object["dimensions"] = std::move(dimensions);
  json::Array fields;
  for (const auto& field : statistics.by_field) {
    json::Object entry = rating_json(field.overall);
    entry["field"] = field.field;
    entry["target_share"] = field.demanding_target ? 0.85 : 0.90;
    entry["below_target"] = field.below_target;
    fields.push_back(std::move(entry));
  }
  object["by_field"] = std::move(fields);
  return object;
}

Response stats_api(FeedbackService& feedback, SurveyService& surveys, units::UnitService& units, Request& request) {
  auto period = period_of(request, units);
  if (!period) return web::json_error(period.error());
  const std::string unit = request.query_parameter("unit").value_or("");
  auto statistics = feedback.statistics(unit, period->from, period->to);
  if (!statistics) return web::json_error(statistics.error());
  json::Object body;
  body["unit"] = json::optional_string(unit.empty() ? std::nullopt : std::optional(unit));
  body["from"] = format_iso_date(period->from);
  body["to"] = format_iso_date(period->to);
  add_statistics(body, *statistics);
  auto survey_statistics = surveys.statistics(unit, period->from, period->to);
  if (!survey_statistics) return web::json_error(survey_statistics.error());
  body["surveys"] = survey_json(*survey_statistics);
  return web::json_response(200, json::serialize(body));
}

Response similar_api(FeedbackService& feedback, Request& request) {
  const std::string text = request.query_parameter("q").value_or("");
  if (text.empty()) {
    return web::json_error(
        Error{ErrorCode::invalid_input, "Dữ liệu gửi lên chưa hợp lệ", {{"q", "Cần nội dung để tìm câu trả lời tương tự"}}, {}});
  }
  auto items = feedback.similar(text.substr(0, maximum_body_characters * 4));
  if (!items) return web::json_error(items.error());
  json::Array list;
  for (const auto& item : *items) list.push_back(item_json(item));
  json::Object body;
  body["items"] = std::move(list);
  return web::json_response(200, json::serialize(body));
}

Response abuse_report_api(FeedbackService& feedback, Request& request) {
  auto object = json::parse_object(request.body);
  if (!object) return web::json_error(object.error());
  auto reason = json::read_string(*object, "reason");
  if (!reason.type_ok) {
    return web::json_error(
        Error{ErrorCode::invalid_input, "Dữ liệu gửi lên chưa hợp lệ", {{"reason", "Phải là một chuỗi ký tự"}}, {}});
  }
  auto pending = feedback.report_abuse(request.path_parameter("code"), reason.value.value_or(""),
                                       request.remote_address, web::actor_of(request));
  if (!pending) return web::json_error(pending.error());
  json::Object body;
  body["pending_reports"] = *pending;
  body["hidden"] = *pending >= abuse_reports_to_hide;
  return web::json_response(202, json::serialize(body));
}

Response rate_api(FeedbackService& feedback, Request& request) {
  auto object = json::parse_object(request.body);
  if (!object) return web::json_error(object.error());
  auto satisfied = object->find("satisfied");
  if (satisfied == object->end() || !satisfied->value().is_bool()) {
    return web::json_error(Error{ErrorCode::invalid_input, "Dữ liệu gửi lên chưa hợp lệ",
                                 {{"satisfied", "Cần cho biết hài lòng (true) hay chưa hài lòng (false)"}}, {}});
  }
  auto comment = json::read_string(*object, "comment");
  if (!comment.type_ok) {
    return web::json_error(
        Error{ErrorCode::invalid_input, "Dữ liệu gửi lên chưa hợp lệ", {{"comment", "Phải là một chuỗi ký tự"}}, {}});
  }
  auto item = feedback.rate(request.path_parameter("code"), satisfied->value().as_bool(), comment.value.value_or(""),
                            web::actor_of(request));
  if (!item) return web::json_error(item.error());
  return web::json_response(200, json::serialize(item_json(*item)));
}

// ---- Pages ----


web::View options_view(const std::vector<std::pair<std::string, std::string>>& choices, const std::string& selected) {
  web::View list = web::View::list();
  for (const auto& [value, label] : choices) {
    list.push(web::View().set("value", value).set("label", label).set("selected", value == selected));
  }
  return list;
}

web::View unit_options(units::UnitService& units, const std::string& selected) {
  web::View list = web::View::list();
  if (auto all = units.list(units.today())) {
    for (const auto& unit : *all) {
      list.push(web::View().set("value", unit.code).set("label", unit.name).set("selected", unit.code == selected));
    }
  }
  return list;
}

web::View item_view(const Item& item) {
  web::View view;
  view.set("id", item.id);
  view.set("tracking_code", display_tracking_code(item.tracking_code));
  view.set("tracking_path", "/phan-anh/" + item.tracking_code);
  view.set("kind", kind_label(item.kind));
  view.set("subject", subject_label(item.subject));
  view.set("title", item.title);
  view.set("body", item.body);
  view.set("unit_name", item.unit_name);
  view.set("unit_code", item.unit_code);
  view.set("status", status_label(item.status));
  view.set("received", format_display_instant(item.received_at));
  view.set("due", format_display_instant(item.due_at));
  view.set("open", item.status != "published" && item.status != "rejected");
  view.set("overdue", item.overdue);
  view.set("answer", item.answer);
  view.set("published", item.published_at ? format_display_instant(*item.published_at) : std::string());
  view.set("is_published", item.status == "published");
  if (item.answered_on_time) {
    view.set("on_time", *item.answered_on_time);
    view.set("late", !*item.answered_on_time);
  }
  view.set("rejection_reason", item.rejection_reason);
  view.set("extended", item.extended);
  view.set("hidden_reason", item.hidden_reason);
  // Numbers are non-empty text, so true in a template section: zero is left empty.
  view.set("pending_abuse_reports",
           item.pending_abuse_reports > 0 ? std::to_string(item.pending_abuse_reports) : std::string());
  view.set("contact_name", item.contact_name);
  view.set("contact_phone", item.contact_phone);
  view.set("contact_email", item.contact_email);
  view.set("dossier_code", item.dossier_code);
  view.set("procedure_code", item.procedure_code);
  web::View events = web::View::list();
  for (const auto& event : item.events) {
    events.push(web::View()
                    .set("when", format_display_instant(event.occurred_at))
                    .set("label", step_label(event.step))
                    .set("note", event.note)
                    .set("actor", event.actor)
                    .set("private", !event.is_public));
  }
  view.set("events", std::move(events));
  return view;
}

const std::vector<std::pair<std::string, std::string>>& kind_choices() {
  static const std::vector<std::pair<std::string, std::string>> choices = {
      {"question", kind_label("question")}, {"complaint", kind_label("complaint")},
      {"suggestion", kind_label("suggestion")}, {"report", kind_label("report")}};
  return choices;
}

const std::vector<std::pair<std::string, std::string>>& subject_choices() {
  static const std::vector<std::pair<std::string, std::string>> choices = {
      {"procedure", subject_label("procedure")}, {"conduct", subject_label("conduct")},
      {"technical", subject_label("technical")}, {"other", subject_label("other")}};
  return choices;
}

Response form_page(FeedbackService& feedback, units::UnitService& units, const Request& request, int status,
                   const Submission& values, const std::vector<FieldError>& errors) {
  web::View view;
  // People find existing answers before filing duplicates (the assistant's hand-off arrives with the question).
  web::View similar = web::View::list();
  bool any_similar = false;
  if (!values.title.empty() || !values.body.empty()) {
    if (auto items = feedback.similar(values.title + " " + values.body)) {
      for (const auto& item : *items) similar.push(item_view(item));
      any_similar = !items->empty();
    }
  }
  view.set("similar", std::move(similar));
  view.set("any_similar", any_similar);
  view.set("kinds", options_view(kind_choices(), values.kind.empty() ? "question" : values.kind));
  view.set("subjects", options_view(subject_choices(), values.subject.empty() ? "procedure" : values.subject));
  view.set("units", unit_options(units, values.unit_code));
  view.set("title_value", values.title);
  view.set("body_value", values.body);
  view.set("procedure_code", values.procedure_code);
  view.set("dossier_code", values.dossier_code);
  view.set("contact_name", values.contact_name);
  view.set("contact_phone", values.contact_phone);
  view.set("contact_email", values.contact_email);
  view.set("consent_publish", values.consent_publish);
  view.set("maximum_body", static_cast<std::int64_t>(maximum_body_characters));
  web::View messages = web::View::list();
  for (const auto& error : errors) {
    messages.push(web::View().set("message", error.message));
    std::string key = "error_" + error.field;
    for (auto& character : key) {
      if (character == '.') character = '_';
    }
    view.set(key, error.message);
  }
  view.set("errors", std::move(messages));
  view.set("has_errors", !errors.empty());
  return web::render_page(status, "feedback_form", std::move(view),
                          web::PageContext{"Gửi phản ánh, kiến nghị", web::principal_of(request), "feedback"});
}

Response new_form(FeedbackService& feedback, units::UnitService& units, Request& request) {
  Submission values;
  values.title = request.query_parameter("tieu_de").value_or("").substr(0, maximum_title_characters * 4);
  values.body = request.query_parameter("noi_dung").value_or("").substr(0, maximum_body_characters * 4);
  values.unit_code = request.query_parameter("don_vi").value_or("");
  values.procedure_code = request.query_parameter("thu_tuc").value_or("");
  values.consent_publish = true;
  return form_page(feedback, units, request, 200, values, {});
}

Response submit_form(FeedbackService& feedback, units::UnitService& units, Request& request) {
  Submission submission;
  submission.kind = request.form_value("kind").value_or("");
  submission.subject = request.form_value("subject").value_or("");
  submission.title = request.form_value("title").value_or("");
  submission.body = request.form_value("body").value_or("");
  submission.unit_code = request.form_value("unit_code").value_or("");
  submission.procedure_code = request.form_value("procedure_code").value_or("");
  submission.dossier_code = request.form_value("dossier_code").value_or("");
  submission.contact_name = request.form_value("contact_name").value_or("");
  submission.contact_phone = request.form_value("contact_phone").value_or("");
  submission.contact_email = request.form_value("contact_email").value_or("");
  submission.consent_publish = request.form_value("consent_publish").has_value();
  auto receipt = feedback.submit(submission, web::actor_of(request));
  if (!receipt) {
    if (receipt.error().code != ErrorCode::invalid_input) {
      return web::error_page(http::http_status(receipt.error().code), receipt.error().message, web::principal_of(request));
    }
    return form_page(feedback, units, request, 400, submission, receipt.error().fields);
  }
  return Response::redirect("/phan-anh/" + receipt->tracking_code + "?da_gui=1");
}

Response track_page(FeedbackService& feedback, Request& request) {
  auto item = feedback.track(request.path_parameter("code"));
  if (!item) return web::error_page(http::http_status(item.error().code), item.error().message, web::principal_of(request));
  web::View view = item_view(*item);
  view.set("just_submitted", request.query_parameter("da_gui").has_value());
  view.set("rated", request.query_parameter("da_danh_gia").has_value());
  view.set("rating_error", request.query_parameter("loi").value_or(""));
  view.set("reported", request.query_parameter("da_bao_cao").has_value());
  view.set("report_error", request.query_parameter("loi_bao_cao").value_or(""));
  view.set("may_report", item->status == "published" && item->hidden_reason.empty());
  return web::render_page(200, "feedback_track", std::move(view),
                          web::PageContext{"Phản ánh " + display_tracking_code(item->tracking_code),
                                           web::principal_of(request), "feedback"});
}

Response lookup(Request& request) {
  std::string code = canonical_tracking_code(request.query_parameter("ma").value_or(""));
  if (code.empty()) return Response::redirect("/phan-anh");
  return Response::redirect("/phan-anh/" + http::percent_encode(code));
}

Response rate_form(FeedbackService& feedback, Request& request) {
  const std::string code = canonical_tracking_code(request.path_parameter("code"));
  bool satisfied = request.form_value("satisfied").value_or("") == "1";
  auto item = feedback.rate(code, satisfied, request.form_value("comment").value_or(""), web::actor_of(request));
  std::string location = "/phan-anh/" + http::percent_encode(code);
  if (!item) {
    std::string message = item.error().fields.empty() ? item.error().message : item.error().fields.front().message;
    return Response::redirect(location + "?loi=" + http::percent_encode(message) + "#danh-gia");
  }
  return Response::redirect(location + "?da_danh_gia=1");
}

Response abuse_report_form(FeedbackService& feedback, Request& request) {
  const std::string code = canonical_tracking_code(request.path_parameter("code"));
  auto pending = feedback.report_abuse(code, request.form_value("reason").value_or(""), request.remote_address,
                                       web::actor_of(request));
  std::string location = "/phan-anh/" + http::percent_encode(code);
  if (!pending) {
    std::string message =
        pending.error().fields.empty() ? pending.error().message : pending.error().fields.front().message;
    return Response::redirect(location + "?loi_bao_cao=" + http::percent_encode(message) + "#bao-cao");
  }
  return Response::redirect(location + "?da_bao_cao=1");
}

Response league_page(FeedbackService& feedback, units::UnitService& units, Request& request) {
  auto period = period_of(request, units);
  if (!period) {
    const auto& error = period.error();
    return web::error_page(400, error.fields.empty() ? error.message : error.fields.front().message,
                           web::principal_of(request));
  }
  auto league = feedback.league(period->from, period->to);
  if (!league) return web::error_page(http::http_status(league.error().code), league.error().message, web::principal_of(request));
  web::View view;
  view.set("from", format_iso_date(period->from));
  view.set("to", format_iso_date(period->to));
  const std::string export_query = "&from=" + format_iso_date(period->from) + "&to=" + format_iso_date(period->to);
  view.set("csv_path", "/api/v1/feedback/league?format=csv" + export_query);
  view.set("xlsx_path", "/api/v1/feedback/league?format=xlsx" + export_query);
  web::View rows = web::View::list();
  int rank = 0;
  for (const auto& line : *league) {
    const auto& figures = line.statistics;
    rows.push(web::View()
                  .set("rank", ++rank)
                  .set("unit_name", line.unit_name)
                  .set("received", figures.received)
                  .set("answered", figures.answered)
                  .set("on_time_share", web::percent_text(line.on_time_share))
                  .set("overdue", figures.overdue)
                  .set("average_days", figures.average_working_days_to_answer
                                           ? web::decimal_text(*figures.average_working_days_to_answer)
                                           : std::string("—"))
                  .set("satisfied_share", web::percent_text(figures.satisfied_share))
                  .set("ratings", figures.ratings));
  }
  view.set("rows", std::move(rows));
  view.set("any", !league->empty());
  return web::render_page(200, "feedback_league", std::move(view),
                          web::PageContext{"Bảng xếp hạng xử lý phản ánh", web::principal_of(request), "feedback"});
}

Response list_page(FeedbackService& feedback, units::UnitService& units, Request& request) {
  const std::string query = request.query_parameter("q").value_or("");
  const std::string unit = request.query_parameter("unit").value_or("");
  auto page = feedback.published({query, unit, page_number(request)});
  if (!page) return web::error_page(http::http_status(page.error().code), page.error().message, web::principal_of(request));
  web::View view;
  view.set("q", query);
  view.set("staff_member", request.principal.has_value());
  view.set("units", unit_options(units, unit));
  web::View items = web::View::list();
  for (const auto& item : page->items) items.push(item_view(item));
  view.set("items", std::move(items));
  view.set("total", (page->total_is_minimum ? "Hơn " : "") + std::to_string(page->total));
  view.set("any", !page->items.empty());
  const std::int64_t pages = (page->total + page->page_size - 1) / page->page_size;
  const std::string base = "/phan-anh?q=" + http::percent_encode(query) + "&unit=" + http::percent_encode(unit);
  if (page->page > 1) view.set("previous", base + "&page=" + std::to_string(page->page - 1));
  if (page->page < pages) view.set("next", base + "&page=" + std::to_string(page->page + 1));
  return web::render_page(200, "feedback_list", std::move(view),
                          web::PageContext{"Phản ánh, kiến nghị", web::principal_of(request), "feedback"});
}

Response queue_page(FeedbackService& feedback, units::UnitService& units, Request& request,
                    const std::string& notice = {}, const std::vector<std::string>& problems = {}) {
  QueueFilter filter;
  filter.status = request.query_parameter("trang_thai").value_or("");
  filter.unit_code = request.query_parameter("don_vi").value_or("");
  filter.overdue_only = request.query_parameter("qua_han").value_or("") == "1";
  auto items = feedback.queue(*request.principal, filter);
  if (!items) return web::error_page(http::http_status(items.error().code), items.error().message, web::principal_of(request));
  web::View view;
  view.set("statuses", options_view({{"", "Đang mở"},
                                     {"received", status_label("received")},
                                     {"classified", status_label("classified")},
                                     {"assigned", "Đã giao đơn vị"},
                                     {"drafted", "Đã soạn trả lời"},
                                     {"approved", "Đã duyệt, chờ công bố"},
                                     {"published", status_label("published")},
                                     {"rejected", status_label("rejected")},
                                     {"reported", "Bị báo cáo hoặc đang ẩn"},
                                     {"all", "Tất cả"}},
                                    filter.status));
  view.set("units", unit_options(units, filter.unit_code));
  view.set("overdue_only", filter.overdue_only);
  web::View list = web::View::list();
  std::int64_t overdue = 0;
  for (const auto& item : *items) {
    web::View entry = item_view(item);
    entry.set("status", status_label(item.status) + (item.status == "drafted" ? " (đã soạn)" : ""));
    list.push(std::move(entry));
    if (item.overdue) ++overdue;
  }
  view.set("items", std::move(list));
  view.set("count", static_cast<std::int64_t>(items->size()));
  view.set("overdue_count", overdue);
  view.set("may_write", request.principal->role != "viewer");
  web::View problem_list = web::View::list();
  for (const auto& problem : problems) problem_list.push(web::View().set("message", problem));
  view.set("problems", std::move(problem_list));
  return web::render_page(200, "feedback_queue", std::move(view),
                          web::PageContext{"Phản ánh cần xử lý", web::principal_of(request), "feedback", notice});
}

Response bulk_assign_form(FeedbackService& feedback, units::UnitService& units, Request& request) {
  std::vector<std::int64_t> ids;
  const auto form = request.form();
  for (auto [entry, end] = form.equal_range("chon"); entry != end; ++entry) {
    std::int64_t id = 0;
    auto [last, error] = std::from_chars(entry->second.data(), entry->second.data() + entry->second.size(), id);
    if (error == std::errc() && last == entry->second.data() + entry->second.size()) ids.push_back(id);
  }
  const std::string unit = request.form_value("unit_code").value_or("");
  if (ids.empty() || unit.empty()) {
    return queue_page(feedback, units, request, {}, {"Chọn ít nhất một phản ánh và đơn vị được giao"});
  }
  auto results = feedback.assign_many(ids, unit, *request.principal, web::actor_of(request));
  std::size_t assigned = 0;
  std::vector<std::string> problems;
  for (std::size_t index = 0; index < results.size(); ++index) {
    if (results[index]) {
      ++assigned;
      continue;
    }
    const auto& error = results[index].error();
    problems.push_back("Phản ánh số " + std::to_string(ids[index]) + ": " +
                       (error.fields.empty() ? error.message : error.fields.front().message));
  }
  return queue_page(feedback, units, request, "Đã giao " + std::to_string(assigned) + " phản ánh.", problems);
}

// The {id:int} path parameter; 0 (no such item) when it does not fit.
std::int64_t item_id(const Request& request) {
  const std::string text = request.path_parameter("id");
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  return error == std::errc() && end == text.data() + text.size() ? id : 0;
}

Response staff_item_page(FeedbackService& feedback, const AnswerTemplateService& templates, units::UnitService& units,
                         Request& request, int status, const std::string& notice,
                         const std::vector<FieldError>& errors) {
  std::int64_t id = item_id(request);
  auto item = feedback.item(id, *request.principal);
  if (!item) return web::error_page(http::http_status(item.error().code), item.error().message, web::principal_of(request));
  web::View view = item_view(*item);
  view.set("units", unit_options(units, ""));
  view.set("can_classify", item->status == "received");
  view.set("can_reject", item->status == "received" || item->status == "classified");
  view.set("can_assign", item->status == "classified" || item->status == "assigned");
  view.set("can_transfer", item->status == "received" || item->status == "classified" || item->status == "assigned" ||
                                  item->status == "drafted");
  view.set("can_draft", item->status == "assigned" || item->status == "drafted");
  view.set("can_approve", item->status == "drafted");
  view.set("can_merge", item->status == "received" || item->status == "classified" || item->status == "assigned" ||
                            item->status == "drafted");
  view.set("can_publish", item->status == "approved");
  view.set("may_write", request.principal->role != "viewer");
  view.set("can_extend", !item->extended && (item->status == "classified" || item->status == "assigned" ||
                                             item->status == "drafted"));
  const bool coordinator = request.principal->role == "coordinator" || request.principal->role == "admin";
  view.set("can_hide", coordinator && item->hidden_reason.empty());
  view.set("can_restore", coordinator && (!item->hidden_reason.empty() || item->pending_abuse_reports > 0));
  view.set("draft", item->answer);
  // Answer templates: "?mau=ID" starts the draft from one (no JavaScript needed).
  web::View template_links = web::View::list();
  if (auto available = templates.list()) {
    for (const auto& entry : *available) {
      template_links.push(web::View().set("title", entry.title).set("id", entry.id));
      if (request.query_parameter("mau") == std::to_string(entry.id)) view.set("draft", entry.body);
    }
    view.set("any_templates", !available->empty());
  }
  view.set("answer_templates", std::move(template_links));
  view.set("errors", web::error_list(errors));
  return web::render_page(status, "feedback_item", std::move(view),
                          web::PageContext{"Phản ánh " + display_tracking_code(item->tracking_code),
                                           web::principal_of(request), "feedback", notice});
}

Response step_form(FeedbackService& feedback, const AnswerTemplateService& templates, units::UnitService& units,
                   Request& request) {
  std::int64_t id = item_id(request);
  auto step = parse_step(request.form_value("step").value_or(""));
  if (!step) return staff_item_page(feedback, templates, units, request, 400, {}, {{"step", "Bước xử lý không hợp lệ"}});
  StepRequest step_request{*step, request.form_value("unit_code").value_or(""), request.form_value("text").value_or("")};
  auto result = feedback.take_step(id, step_request, *request.principal, web::actor_of(request));
  if (!result) {
    if (result.error().code == ErrorCode::not_found) {
      return web::error_page(404, result.error().message, web::principal_of(request));
    }
    std::vector<FieldError> errors = result.error().fields;
    if (errors.empty()) errors.push_back({"", result.error().message});
    return staff_item_page(feedback, templates, units, request, http::http_status(result.error().code), {}, errors);
  }
  return Response::redirect("/quan-tri/phan-anh/" + std::to_string(id) + "?da_luu=1");
}

}  // namespace

void register_feedback_routes(http::Router& router, FeedbackService& feedback, SurveyService& surveys,
                              const AnswerTemplateService& templates, units::UnitService& units) {
  router.add(Method::post, "/api/v1/feedback", [&feedback](Request& request) { return submit_api(feedback, request); },
             http::public_api_options(32 * 1024, "Gửi phản ánh, kiến nghị"));
  router.add(Method::get, "/api/v1/feedback", [&feedback](Request& request) { return list_api(feedback, request); },
             http::public_api_options(0, "Câu trả lời đã công bố (tìm kiếm, lọc theo đơn vị, phân trang)"));
  router.add(Method::get, "/api/v1/feedback/stats",
             [&feedback, &surveys, &units](Request& request) { return stats_api(feedback, surveys, units, request); },
             http::public_api_options(0, "Thống kê phản ánh, kiến nghị theo đơn vị và khoảng thời gian"));
  router.add(Method::get, "/api/v1/feedback/league",
             [&feedback, &units](Request& request) { return league_api(feedback, units, request); },
             http::public_api_options(0, "Bảng xếp hạng các đơn vị theo tỷ lệ trả lời đúng hạn (JSON hoặc CSV)"));
  router.add(Method::get, "/api/v1/feedback/similar",
             [&feedback](Request& request) { return similar_api(feedback, request); },
             http::public_api_options(0, "Tối đa 5 câu trả lời đã công bố giống nội dung q"));
  router.add(Method::get, "/api/v1/feedback/{code}",
             [&feedback](Request& request) { return track_api(feedback, request); },
             http::public_api_options(0, "Tra cứu một phản ánh theo mã tra cứu"));
  router.add(Method::post, "/api/v1/feedback/{code}/abuse-reports",
             [&feedback](Request& request) { return abuse_report_api(feedback, request); },
             http::public_api_options(4 * 1024, "Báo nội dung đã công bố không phù hợp (3 báo cáo thì tạm ẩn)"));
  router.add(Method::post, "/api/v1/feedback/{code}/ratings",
             [&feedback](Request& request) { return rate_api(feedback, request); },
             http::public_api_options(8 * 1024, "Đánh giá câu trả lời đã công bố"));

  router.add(Method::get, "/phan-anh",
             [&feedback, &units](Request& request) { return list_page(feedback, units, request); },
             http::route_options(Access::public_, 0));
  router.add(Method::get, "/phan-anh/gui",
             [&feedback, &units](Request& request) { return new_form(feedback, units, request); },
             http::route_options(Access::public_, 0));
  router.add(Method::post, "/phan-anh/gui",
             [&feedback, &units](Request& request) { return submit_form(feedback, units, request); },
             http::route_options(Access::public_, 64 * 1024));
  router.add(Method::get, "/phan-anh/bang-xep-hang",
             [&feedback, &units](Request& request) { return league_page(feedback, units, request); },
             http::route_options(Access::public_, 0));
  router.add(Method::get, "/phan-anh/tra-cuu", [](Request& request) { return lookup(request); },
             http::route_options(Access::public_, 0));
  router.add(Method::get, "/phan-anh/{code}", [&feedback](Request& request) { return track_page(feedback, request); },
             http::route_options(Access::public_, 0));
  router.add(Method::post, "/phan-anh/{code}/danh-gia",
             [&feedback](Request& request) { return rate_form(feedback, request); }, http::route_options(Access::public_, 8 * 1024));

  router.add(Method::post, "/phan-anh/{code}/bao-cao",
             [&feedback](Request& request) { return abuse_report_form(feedback, request); },
             http::route_options(Access::public_, 4 * 1024));

  router.add(Method::get, "/quan-tri/phan-anh",
             [&feedback, &units](Request& request) { return queue_page(feedback, units, request); },
             http::route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/phan-anh/giao",
             [&feedback, &units](Request& request) { return bulk_assign_form(feedback, units, request); },
             http::route_options(Access::officer, 64 * 1024));
  router.add(Method::get, "/quan-tri/phan-anh/{id:int}",
             [&feedback, &templates, &units](Request& request) {
               return staff_item_page(feedback, templates, units, request, 200,
                                      request.query_parameter("da_luu") ? "Đã lưu." : "", {});
             },
             http::route_options(Access::staff, 0));
  router.add(Method::post, "/quan-tri/phan-anh/{id:int}",
             [&feedback, &templates, &units](Request& request) { return step_form(feedback, templates, units, request); },
             http::route_options(Access::officer, 64 * 1024));
}

}  // namespace dvchub::feedback
