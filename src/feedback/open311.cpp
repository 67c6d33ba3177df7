#include "feedback/open311.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

#include "core/dates.h"
#include "core/strings.h"
#include "http/error_mapping.h"
#include "json/json.h"
#include "web/responses.h"

namespace dvchub::feedback {
namespace {

using http::Method;
using http::Request;
using http::Response;

constexpr std::array<const char*, 4> service_codes = {"procedure", "conduct", "technical", "other"};
constexpr std::chrono::hours ninety_days{90 * 24};

enum class Format { xml, json };

// One flat record: ordered element names and text values (nullopt: an empty element / JSON null).
using Record = std::vector<std::pair<std::string, std::optional<std::string>>>;

std::string xml_record(const std::string& element, const Record& record) {
  std::string xml = "<" + element + ">";
  for (const auto& [name, value] : record) {
    xml += value ? "<" + name + ">" + xml_escaped(*value) + "</" + name + ">" : "<" + name + "/>";
  }
  return xml + "</" + element + ">";
}

json::Object json_record(const Record& record) {
  json::Object object;
  for (const auto& [name, value] : record) {
    if (!value) object[name] = nullptr;
    else if (*value == "true" || *value == "false") object[name] = *value == "true";
    else object[name] = *value;
  }
  return object;
}

Response answer(Format format, int status, const std::string& root, const std::string& element,
                const std::vector<Record>& records) {
  if (format == Format::json) {
    json::Array array;
    for (const auto& record : records) array.push_back(json_record(record));
    return Response::text(status, json::serialize(array), "application/json; charset=utf-8");
  }
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + root + ">";
  for (const auto& record : records) xml += xml_record(element, record);
  return Response::text(status, xml + "</" + root + ">", "text/xml; charset=utf-8");
}

// The spec's error list (§4.8); in JSON the code is a number, as in the spec's example.
Response error(Format format, int status, const std::string& description) {
  if (format == Format::json) {
    json::Object entry;
    entry["code"] = status;
    entry["description"] = description;
    return Response::text(status, json::serialize(json::Array{entry}), "application/json; charset=utf-8");
  }
  return answer(format, status, "errors", "error", {{{"code", std::to_string(status)}, {"description", description}}});
}

std::string iso(TimePoint instant) { return format_iso_instant(instant); }

Record service_record(const char* code) {
  return {{"service_code", code},
          {"service_name", subject_label(code)},
          {"description", "Phản ánh, kiến nghị về: " + subject_label(code)},
          {"metadata", "true"},
          {"type", "realtime"},
          {"keywords", "phản ánh, kiến nghị, pakn"},
          {"group", "Phản ánh, kiến nghị"}};
}

Record request_record(const Item& item) {
  const bool closed = item.status == "published" || item.status == "rejected";
  std::optional<std::string> notes;
  if (item.status == "published") notes = item.answer;
  else if (item.status == "rejected") notes = item.rejection_reason;
  else notes = status_label(item.status);
  TimePoint updated = item.events.empty() ? item.received_at : item.events.back().occurred_at;
  std::optional<std::string> expected;
  if (!closed) expected = iso(item.answer_due_at.value_or(item.due_at));
  return {{"service_request_id", item.tracking_code},
          {"status", closed ? "closed" : "open"},
          {"status_notes", notes},
          {"service_name", subject_label(item.subject)},
          {"service_code", item.subject},
          {"description", item.title + "\n" + item.body},
          {"agency_responsible", item.unit_name.empty() ? std::nullopt : std::optional(item.unit_name)},
          {"service_notice", std::nullopt},
          {"requested_datetime", iso(item.received_at)},
          {"updated_datetime", iso(updated)},
          {"expected_datetime", expected},
          {"address", std::nullopt},
          {"address_id", std::nullopt},
          {"zipcode", std::nullopt},
          {"lat", std::nullopt},
          {"long", std::nullopt},
          {"media_url", std::nullopt}};
}

// "name.xml" / "name.json" → the name and the format; nullopt for another suffix.
std::optional<std::pair<std::string, Format>> split_format(const std::string& file) {
  for (auto [suffix, format] : {std::pair<std::string_view, Format>{".xml", Format::xml}, {".json", Format::json}}) {
    if (file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return std::pair{file.substr(0, file.size() - suffix.size()), format};
    }
  }
  return std::nullopt;
}

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> values;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) values.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return values;
}

// An ISO 8601 instant with a zone ("2025-11-01T00:00:00Z", "…+07:00") or a date (midnight Vietnam time).
std::optional<TimePoint> parse_instant(const std::string& text) {
  if (text.size() == 10) {
    auto day = parse_iso_date(text);
    if (!day) return std::nullopt;
    return TimePoint(std::chrono::sys_days(*day).time_since_epoch() - vietnam_utc_offset);
  }
  if (text.size() < 20 || text[10] != 'T') return std::nullopt;
  auto day = parse_iso_date(text.substr(0, 10));
  if (!day) return std::nullopt;
  int hour = 0, minute = 0, second = 0;
  if (std::sscanf(text.c_str() + 11, "%2d:%2d:%2d", &hour, &minute, &second) != 3) return std::nullopt;
  std::string zone = text.substr(19);
  std::chrono::seconds offset{0};
  if (zone != "Z") {
    int zone_hours = 0, zone_minutes = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') ||
        std::sscanf(zone.c_str() + 1, "%2d:%2d", &zone_hours, &zone_minutes) != 2) {
      return std::nullopt;
    }
    offset = std::chrono::seconds((zone_hours * 3600 + zone_minutes * 60) * (zone[0] == '-' ? -1 : 1));
  }
  return TimePoint(std::chrono::sys_days(*day).time_since_epoch() + std::chrono::hours(hour) +
                   std::chrono::minutes(minute) + std::chrono::seconds(second) - offset);
}

Response discovery(Format format, const Request& request) {
  const std::string host = std::string(request.headers.get("Host").value_or("localhost"));
  const std::string url = "http://" + host + "/open311/v2";
  const std::string changeset = "2025-11-01T00:00:00+07:00";
  if (format == Format::json) {
    json::Object endpoint;
    endpoint["specification"] = "http://wiki.open311.org/GeoReport_v2";
    endpoint["url"] = url;
    endpoint["changeset"] = changeset;
    endpoint["type"] = "production";
    endpoint["formats"] = json::Array{"text/xml", "application/json"};
    json::Object body;
    body["changeset"] = changeset;
    body["contact"] = "Văn phòng điều phối phản ánh, kiến nghị — xem /phan-anh";
    body["key_service"] = "Khóa api_key (để tạo yêu cầu) do quản trị viên cấp tại /quan-tri/khoa-open311";
    body["endpoints"] = json::Array{endpoint};
    return Response::text(200, json::serialize(body), "application/json; charset=utf-8");
  }
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><discovery><changeset>" + changeset +
                    "</changeset><contact>Văn phòng điều phối phản ánh, kiến nghị — xem /phan-anh</contact>"
                    "<key_service>Khóa api_key (để tạo yêu cầu) do quản trị viên cấp tại /quan-tri/khoa-open311</key_service>"
                    "<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>" +
                    xml_escaped(url) + "</url><changeset>" + changeset +
                    "</changeset><type>production</type><formats><format>text/xml</format>"
                    "<format>application/json</format></formats></endpoint></endpoints></discovery>";
  return Response::text(200, xml, "text/xml; charset=utf-8");
}

Response services(Format format) {
  std::vector<Record> records;
  for (const char* code : service_codes) records.push_back(service_record(code));
  return answer(format, 200, "services", "service", records);
}

Response service_definition(Request& request) {
  auto file = split_format(request.path_parameter("file"));
  if (!file) return error(Format::xml, 404, "Định dạng phải là .xml hoặc .json");
  auto [code, format] = *file;
  if (std::find_if(service_codes.begin(), service_codes.end(), [&](const char* known) { return code == known; }) ==
      service_codes.end()) {
    return error(format, 404, "Không có dịch vụ mã " + code);
  }
  // One optional attribute: whether the sender agrees to publication (masked). Without it nothing is public.
  const std::string description = "Người gửi đồng ý công bố nội dung (thông tin cá nhân được che) và câu trả lời";
  if (format == Format::json) {
    json::Object yes;
    yes["key"] = "true";
    yes["name"] = "Đồng ý công bố";
    json::Object no;
    no["key"] = "false";
    no["name"] = "Không công bố";
    json::Object attribute;
    attribute["variable"] = true;
    attribute["code"] = "consent_publish";
    attribute["datatype"] = "singlevaluelist";
    attribute["required"] = false;
    attribute["datatype_description"] = "true hoặc false (mặc định false)";
    attribute["order"] = 1;
    attribute["description"] = description;
    attribute["values"] = json::Array{yes, no};
    json::Object body;
    body["service_code"] = code;
    body["attributes"] = json::Array{attribute};
    return Response::text(200, json::serialize(body), "application/json; charset=utf-8");
  }
  return Response::text(
      200,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><service_definition><service_code>" + code +
          "</service_code><attributes><attribute><variable>true</variable><code>consent_publish</code>"
          "<datatype>singlevaluelist</datatype><required>false</required><datatype_description>true hoặc false "
          "(mặc định false)</datatype_description><order>1</order><description>" + description +
          "</description><values><value><key>true</key><name>Đồng ý công bố</name></value><value><key>false</key>"
          "<name>Không công bố</name></value></values></attribute></attributes></service_definition>",
      "text/xml; charset=utf-8");
}

Response requests(FeedbackService& feedback, const Clock& clock, Format format, const Request& request) {
  RequestFilter filter;
  auto text = [&](const char* name) { return request.query_parameter(name).value_or(""); };
  filter.tracking_codes = comma_list(text("service_request_id"));
  for (const auto& code : comma_list(text("service_code"))) {
    if (std::find_if(service_codes.begin(), service_codes.end(), [&](const char* known) { return code == known; }) ==
        service_codes.end()) {
      return error(format, 400, "Không có dịch vụ mã " + code);
    }
    filter.subjects.push_back(code);
  }
  for (const auto& status : comma_list(text("status"))) {
    if (status != "open" && status != "closed") return error(format, 400, "status phải là open hoặc closed");
  }
  auto statuses = comma_list(text("status"));
  if (statuses.size() == 1) filter.open = statuses.front() == "open";
  if (!text("start_date").empty() && !(filter.start = parse_instant(text("start_date")))) {
    return error(format, 400, "start_date phải theo ISO 8601 có múi giờ");
  }
  if (!text("end_date").empty() && !(filter.end = parse_instant(text("end_date")))) {
    return error(format, 400, "end_date phải theo ISO 8601 có múi giờ");
  }
  // Default window: 90 days (spec §4.7) ending at end_date (or now), or starting at start_date.
  if (!filter.end && !filter.start) filter.start = clock.now() - ninety_days;
  if (filter.start && filter.end && *filter.end - *filter.start > ninety_days) {
    return error(format, 400, "Khoảng start_date..end_date không được quá 90 ngày");
  }
  if (filter.end && !filter.start) filter.start = *filter.end - ninety_days;
  if (filter.start && !filter.end) filter.end = *filter.start + ninety_days;
  auto items = feedback.public_requests(filter);
  if (!items) return error(format, 400, items.error().message);
  std::vector<Record> records;
  for (const auto& item : *items) records.push_back(request_record(item));
  return answer(format, 200, "service_requests", "request", records);
}

// The first line of `text`, cut to at most `maximum` characters at a character boundary.
std::string first_line(const std::string& text, std::size_t maximum) {
  std::string line = text.substr(0, text.find('\n'));
  std::size_t characters = 0;
  for (std::size_t position = 0; position < line.size(); ++position) {
    if ((static_cast<unsigned char>(line[position]) & 0xC0) == 0x80) continue;  // continuation byte
    if (characters++ == maximum) return line.substr(0, position) + "…";
  }
  return line;
}

Response create_request(FeedbackService& feedback, ApiKeyService& keys, Format format, Request& request) {
  auto field = [&](const char* name) { return request.form_value(name).value_or(""); };
  auto key = keys.verify(field("api_key"));
  if (!key) return error(format, http::http_status(key.error().code), key.error().message);
  if (!*key) return error(format, 403, "api_key không hợp lệ hoặc đã bị thu hồi: không thể tạo yêu cầu");
  const std::string code = field("service_code");
  if (code.empty()) return error(format, 400, "Thiếu service_code");
  if (std::find_if(service_codes.begin(), service_codes.end(), [&](const char* known) { return code == known; }) ==
      service_codes.end()) {
    return error(format, 404, "Không có dịch vụ mã " + code);
  }
  for (const char* coordinate : {"lat", "long"}) {
    const std::string text = field(coordinate);
    if (text.empty()) continue;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    const double limit = std::string_view(coordinate) == "lat" ? 90 : 180;
    if (end != text.c_str() + text.size() || value < -limit || value > limit) {
      return error(format, 400, std::string(coordinate) + " phải là số thập phân WGS84 hợp lệ");
    }
  }
  const std::string consent = field("attribute[consent_publish]");
  if (!consent.empty() && consent != "true" && consent != "false") {
    return error(format, 400, "attribute[consent_publish] phải là true hoặc false");
  }
  Submission submission;
  submission.kind = "complaint";
  submission.subject = code;
  submission.body = field("description");
  submission.title = first_line(submission.body, 120);
  submission.contact_name = trimmed(field("first_name") + " " + field("last_name"));
  submission.contact_phone = field("phone");
  submission.contact_email = field("email");
  submission.consent_publish = consent == "true";
  audit::Actor actor = web::actor_of(request);
  actor.name = "open311:" + (*key)->name;
  auto receipt = feedback.submit(submission, actor);
  if (!receipt) {
    const auto& failure = receipt.error();
    if (failure.code != ErrorCode::invalid_input) return error(format, http::http_status(failure.code), failure.message);
    // One error per field, named by its Open311 argument.
    std::vector<Record> errors;
    for (const auto& field_error : failure.fields) {
      std::string argument = field_error.field;
      if (argument == "body" || argument == "title") argument = "description";
      else if (argument == "contact.phone") argument = "phone";
      else if (argument == "contact.email") argument = "email";
      else if (argument == "contact.name") argument = "first_name";
      errors.push_back({{"code", "400"}, {"description", argument + ": " + field_error.message}});
    }
    if (format == Format::json) {
      json::Array array;
      for (const auto& record : errors) {
        json::Object entry;
        entry["code"] = 400;
        entry["description"] = *record[1].second;
        array.push_back(std::move(entry));
      }
      return Response::text(400, json::serialize(array), "application/json; charset=utf-8");
    }
    return answer(format, 400, "errors", "error", errors);
  }
  return answer(format, 200, "service_requests", "request",
                {{{"service_request_id", receipt->tracking_code},
                  {"service_notice", "Đã tiếp nhận; hạn phân loại " + format_display_instant(receipt->due_at) +
                                         ". Tra cứu tại /phan-anh/" + receipt->tracking_code},
                  {"account_id", std::nullopt}}});
}

Response one_request(FeedbackService& feedback, Request& request) {
  auto file = split_format(request.path_parameter("file"));
  if (!file) return error(Format::xml, 404, "Định dạng phải là .xml hoặc .json");
  auto [code, format] = *file;
  RequestFilter filter;
  filter.tracking_codes = {code};
  auto items = feedback.public_requests(filter);
  if (!items) return error(format, 400, items.error().message);
  if (items->empty()) return error(format, 404, "Không có yêu cầu mã " + code);
  return answer(format, 200, "service_requests", "request", {request_record(items->front())});
}

}  // namespace

void register_open311_routes(http::Router& router, FeedbackService& feedback, ApiKeyService& keys, const Clock& clock) {
  auto options = [](std::string summary) {
    http::RouteOptions route;
    route.body_limit = 0;
    route.csrf = false;
    route.summary = std::move(summary);
    return route;
  };
  for (auto [suffix, format] : {std::pair<std::string, Format>{"xml", Format::xml}, {"json", Format::json}}) {
    router.add(Method::get, "/open311/v2/discovery." + suffix,
               [format](Request& request) { return discovery(format, request); }, options("Open311: discovery"));
    router.add(Method::get, "/open311/v2/services." + suffix, [format](Request&) { return services(format); },
               options("Open311: danh sách dịch vụ"));
    router.add(Method::get, "/open311/v2/requests." + suffix,
               [&feedback, &clock, format](Request& request) { return requests(feedback, clock, format, request); },
               options("Open311: danh sách yêu cầu"));
    http::RouteOptions create = options("Open311: tạo yêu cầu (cần api_key)");
    create.body_limit = 32 * 1024;
    router.add(Method::post, "/open311/v2/requests." + suffix,
               [&feedback, &keys, format](Request& request) { return create_request(feedback, keys, format, request); },
               create);
  }
  router.add(Method::get, "/open311/v2/services/{file}", [](Request& request) { return service_definition(request); },
             options("Open311: định nghĩa dịch vụ"));
  router.add(Method::get, "/open311/v2/requests/{file}",
             [&feedback](Request& request) { return one_request(feedback, request); },
             options("Open311: một yêu cầu"));
}

}  // namespace dvchub::feedback
