#include "feedback/survey_routes.h"

#include <charconv>

#include "core/dates.h"
#include "http/error_mapping.h"
#include "json/json.h"
#include "qrcode/qr_code.h"
#include "web/numbers.h"
#include "web/pages.h"
#include "web/responses.h"

namespace dvchub::feedback {
namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

// What a survey is about, checked against the units and the catalogue.
struct SurveyTarget {
  std::string unit_code;
  std::string unit_name;
  std::string procedure_code;
  std::string procedure_name;
  std::string field;
};

// The unit and procedure named by a link, both optional. invalid_input (per field) when one is unknown.
Result<SurveyTarget> target_of(units::UnitService& units, catalogue::CatalogueService& catalogue,
                               const std::string& unit_code, const std::string& procedure_code) {
  SurveyTarget target{unit_code.substr(0, 64), {}, procedure_code.substr(0, 64), {}, {}};
  std::vector<FieldError> errors;
  if (!target.unit_code.empty()) {
    auto unit = units.find(target.unit_code, units.today());
    if (unit) target.unit_name = unit->name;
    else if (unit.error().code == ErrorCode::not_found) errors.push_back({"unit_code", "Không có đơn vị mã " + target.unit_code});
    else return tl::unexpected(unit.error());
  }
  if (!target.procedure_code.empty()) {
    auto procedure = DVCHUB_TRY(catalogue.find(target.procedure_code));
    if (procedure) {
      target.procedure_name = procedure->name;
      target.field = procedure->field;
    } else {
      errors.push_back({"procedure_code", "Không có thủ tục mã " + target.procedure_code + " trong danh mục"});
    }
  }
  if (!errors.empty()) return fail_fields(std::move(errors));
  return target;
}

// "?don_vi=…&thu_tuc=…" for a target ("" when it names nothing).
std::string target_query(const std::string& unit_code, const std::string& procedure_code) {
  std::string query;
  if (!unit_code.empty()) query += "don_vi=" + http::percent_encode(unit_code);
  if (!procedure_code.empty()) query += (query.empty() ? "" : "&") + std::string("thu_tuc=") + http::percent_encode(procedure_code);
  return query.empty() ? query : "?" + query;
}

// ---- API ----

Result<SurveyAnswer> answer_from_json(std::string_view body) {
  auto object = json::parse_request_body(body);
  if (!object) return tl::unexpected(object.error());
  SurveyAnswer answer;
  std::vector<FieldError> errors;
  auto read_rating = [&errors](const json::Object& from, std::string_view key, const std::string& field,
                               std::optional<std::int64_t>& target) {
    auto value = json::read_integer(from, key);
    if (!value.type_ok) errors.push_back({field, "Phải là một số nguyên từ 1 đến 5"});
    else {
      target = value.value;
      check_survey_rating(errors, field, target, false);
    }
  };
  read_rating(*object, "overall", "overall", answer.overall);
  if (auto dimensions = object->find("dimensions"); dimensions != object->end() && !dimensions->value().is_null()) {
    if (!dimensions->value().is_object()) {
      errors.push_back({"dimensions", "Phải là một đối tượng {access, procedure, officials, result, feedback_handling}"});
    } else {
      for (std::size_t index = 0; index < survey_dimensions.size(); ++index) {
        read_rating(dimensions->value().as_object(), survey_dimensions[index],
                    std::string("dimensions.") + survey_dimensions[index], answer.dimensions[index]);
      }
    }
  }
  for (auto [key, target] : {std::pair{"comment", &answer.comment}, std::pair{"unit_code", &answer.unit_code},
                             std::pair{"procedure_code", &answer.procedure_code}, std::pair{"field", &answer.field},
                             std::pair{"dossier_code", &answer.dossier_code}}) {
    auto value = json::read_string(*object, key);
    if (!value.type_ok) errors.push_back({key, "Phải là một chuỗi ký tự"});
    else if (value.value) *target = *value.value;
  }
  if (!errors.empty()) return fail_fields(std::move(errors));
  return answer;
}

Response respond_api(SurveyService& surveys, units::UnitService& units, catalogue::CatalogueService& catalogue,
                     Request& request) {
  auto answer = answer_from_json(request.body);
  if (!answer) return web::json_error(answer.error());
  // A procedure's field comes from the catalogue unless the caller names one.
  if (!answer->procedure_code.empty() && answer->field.empty()) {
    auto target = target_of(units, catalogue, "", answer->procedure_code);
    if (!target) return web::json_error(target.error());
    answer->field = target->field;
  }
  auto id = surveys.respond(*answer, web::actor_of(request));
  if (!id) return web::json_error(id.error());
  json::Object body;
  body["id"] = *id;
  return web::json_response(201, json::serialize(body));
}

// ---- Pages ----

struct Question {
  std::string name;  // form field: overall, access, …
  std::string legend;
};

std::vector<Question> questions() {
  std::vector<Question> list{{"overall", "Nhìn chung, ông/bà hài lòng thế nào với việc giải quyết thủ tục?"}};
  for (const char* dimension : survey_dimensions) list.push_back({dimension, survey_dimension_label(dimension)});
  return list;
}

Response form_page(const Request& request, int status, const SurveyTarget& target, const SurveyAnswer& values,
                   const std::vector<FieldError>& errors) {
  web::View view;
  view.set("unit_code", target.unit_code);
  view.set("unit_name", target.unit_name);
  view.set("procedure_code", target.procedure_code);
  view.set("procedure_name", target.procedure_name);
  view.set("comment", values.comment);
  view.set("dossier_code", values.dossier_code);
  view.set("maximum_comment", static_cast<std::int64_t>(maximum_survey_comment_characters));
  web::View list = web::View::list();
  const auto all = questions();
  for (std::size_t index = 0; index < all.size(); ++index) {
    const auto& selected = index == 0 ? values.overall : values.dimensions[index - 1];
    web::View options = web::View::list();
    for (int rating = 5; rating >= 1; --rating) {
      options.push(web::View()
                       .set("value", std::int64_t{rating})
                       .set("label", survey_rating_label(rating))
                       .set("id", all[index].name + "-" + std::to_string(rating))
                       .set("checked", selected && *selected == rating));
    }
    std::string message;
    for (const auto& error : errors) {
      if (error.field == all[index].name || error.field == "dimensions." + all[index].name) message = error.message;
    }
    list.push(web::View()
                  .set("name", all[index].name)
                  .set("legend", all[index].legend)
                  .set("required", index == 0)
                  .set("options", std::move(options))
                  .set("error", message));
  }
  view.set("questions", std::move(list));
  view.set("errors", web::error_list(errors));
  view.set("has_errors", !errors.empty());
  const http::Principal* principal = web::principal_of(request);
  return web::render_page(status, "survey_form", std::move(view),
                          web::PageContext{"Khảo sát mức độ hài lòng", principal, "feedback"});
}

Response survey_page(units::UnitService& units, catalogue::CatalogueService& catalogue, Request& request) {
  const http::Principal* principal = web::principal_of(request);
  auto target = target_of(units, catalogue, request.query_parameter("don_vi").value_or(""),
                          request.query_parameter("thu_tuc").value_or(""));
  if (!target) {
    const auto& error = target.error();
    return web::error_page(error.code == ErrorCode::invalid_input ? 404 : http::http_status(error.code),
                           error.fields.empty() ? error.message : error.fields.front().message, principal);
  }
  return form_page(request, 200, *target, {}, {});
}

// A rating radio button's value: nullopt when none was chosen (the service reports it missing), 0 when it is not a
// whole number (the service reports it out of range).
std::optional<std::int64_t> rating_value(const Request& request, std::string_view name) {
  auto text = request.form_value(name);
  if (!text || text->empty()) return std::nullopt;
  std::int64_t rating = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), rating);
  return error == std::errc() && end == text->data() + text->size() ? rating : 0;
}

Response submit_page(SurveyService& surveys, units::UnitService& units, catalogue::CatalogueService& catalogue,
                     Request& request) {
  const http::Principal* principal = web::principal_of(request);
  auto target = target_of(units, catalogue, request.form_value("unit_code").value_or(""),
                          request.form_value("procedure_code").value_or(""));
  if (!target) return web::error_page(400, target.error().fields.empty() ? target.error().message
                                                                          : target.error().fields.front().message,
                                      principal);
  SurveyAnswer answer;
  answer.overall = rating_value(request, "overall");
  for (std::size_t index = 0; index < survey_dimensions.size(); ++index) {
    answer.dimensions[index] = rating_value(request, survey_dimensions[index]);
  }
  answer.comment = request.form_value("comment").value_or("");
  answer.dossier_code = request.form_value("dossier_code").value_or("");
  answer.unit_code = target->unit_code;
  answer.procedure_code = target->procedure_code;
  answer.field = target->field;
  auto id = surveys.respond(answer, web::actor_of(request));
  if (!id) {
    const auto& error = id.error();
    if (error.code == ErrorCode::invalid_input) return form_page(request, 400, *target, answer, error.fields);
    if (error.code == ErrorCode::conflict) return form_page(request, 409, *target, answer, {{"dossier_code", error.message}});
    return web::error_page(http::http_status(error.code), error.message, principal);
  }
  return Response::redirect("/khao-sat/cam-on");
}

Response thanks_page(Request& request) {
  const http::Principal* principal = web::principal_of(request);
  web::View view;
  view.set("thanks", true);
  return web::render_page(200, "survey_thanks", std::move(view),
                          web::PageContext{"Cảm ơn ông/bà đã đánh giá", principal, "feedback"});
}

Response qr_code(units::UnitService& units, catalogue::CatalogueService& catalogue, const std::string& public_url,
                 Request& request) {
  auto target = target_of(units, catalogue, request.query_parameter("don_vi").value_or(""),
                          request.query_parameter("thu_tuc").value_or(""));
  if (!target) {
    return Response::text(404, target.error().fields.empty() ? target.error().message
                                                             : target.error().fields.front().message);
  }
  const std::string address = public_url + "/khao-sat" + target_query(target->unit_code, target->procedure_code);
  auto matrix = qrcode::encode(address);
  if (!matrix) return Response::text(http::http_status(matrix.error().code), matrix.error().message);
  std::string title = "Khảo sát mức độ hài lòng";
  if (!target->unit_name.empty()) title += " — " + target->unit_name;
  auto response = Response::text(200, qrcode::to_svg(*matrix, title), "image/svg+xml");
  response.headers.set("Cache-Control", "public, max-age=3600");
  return response;
}

web::View summary_view(const std::string& label, const RatingSummary& summary) {
  web::View view;
  view.set("label", label);
  view.set("responses", summary.responses);
  view.set("satisfied_share", web::percent_text(summary.satisfied_share));
  view.set("score", web::percent_text(summary.score));
  web::View counts = web::View::list();
  for (std::size_t index = 5; index-- > 0;) counts.push(web::View().set("count", summary.by_rating[index]));
  view.set("counts", std::move(counts));
  return view;
}

Response staff_page(SurveyService& surveys, units::UnitService& units, catalogue::CatalogueService& catalogue,
                    Request& request) {
  const http::Principal* principal = &*request.principal;
  const std::string unit_code = request.query_parameter("don_vi").value_or("");
  const std::string procedure_code = request.query_parameter("thu_tuc").value_or("");
  web::View view;
  auto target = target_of(units, catalogue, unit_code, procedure_code);
  web::View messages = web::View::list();
  if (!target) {
    for (const auto& error : target.error().fields) messages.push(web::View().set("message", error.message));
    if (target.error().fields.empty()) messages.push(web::View().set("message", target.error().message));
  } else {
    const std::string link = "/khao-sat" + target_query(target->unit_code, target->procedure_code);
    view.set("link", link);
    view.set("qr_path", "/khao-sat/ma-qr.svg" + target_query(target->unit_code, target->procedure_code));
    view.set("unit_name", target->unit_name);
    view.set("procedure_name", target->procedure_name);
  }
  view.set("errors", std::move(messages));
  view.set("procedure_code", procedure_code);
  web::View unit_list = web::View::list();
  if (auto all = units.list(units.today())) {
    for (const auto& unit : *all) {
      unit_list.push(web::View().set("value", unit.code).set("label", unit.name).set("selected", unit.code == unit_code));
    }
  }
  view.set("units", std::move(unit_list));
  const std::string today = units.today();
  auto to_text = web::day_parameter(request, "to", today);
  auto from_text = to_text ? web::day_parameter(request, "from", to_text->substr(0, 4) + "-01-01") : to_text;
  if (!from_text) return web::error_page(400, from_text.error().message, principal);
  view.set("from", *from_text);
  view.set("to", *to_text);
  const std::string statistics_unit = target ? target->unit_code : std::string();
  auto statistics = surveys.statistics(statistics_unit, *parse_iso_date(*from_text), *parse_iso_date(*to_text));
  if (!statistics) return web::error_page(http::http_status(statistics.error().code), statistics.error().message, principal);
  web::View rows = web::View::list();
  rows.push(summary_view(survey_dimension_label("overall"), statistics->overall));
  for (std::size_t index = 0; index < survey_dimensions.size(); ++index) {
    rows.push(summary_view(survey_dimension_label(survey_dimensions[index]), statistics->dimensions[index]));
  }
  view.set("rows", std::move(rows));
  web::View fields = web::View::list();
  for (const auto& field : statistics->by_field) {
    web::View entry = summary_view(field.field, field.overall);
    entry.set("target", field.demanding_target ? "85 %" : "90 %");
    entry.set("below_target", field.below_target);
    fields.push(std::move(entry));
  }
  view.set("fields", std::move(fields));
  view.set("any_fields", !statistics->by_field.empty());
  return web::render_page(200, "staff_surveys", std::move(view),
                          web::PageContext{"Khảo sát mức độ hài lòng", principal, "feedback"});
}

}  // namespace

void register_survey_routes(http::Router& router, SurveyService& surveys, units::UnitService& units,
                            catalogue::CatalogueService& catalogue, std::string public_url) {
  router.add(Method::post, "/api/v1/surveys/responses",
             [&surveys, &units, &catalogue](Request& request) { return respond_api(surveys, units, catalogue, request); },
             http::public_api_options(16 * 1024, "Gửi phiếu khảo sát mức độ hài lòng (5 yếu tố SIPAS)"));
  router.add(Method::get, "/khao-sat",
             [&units, &catalogue](Request& request) { return survey_page(units, catalogue, request); },
             http::route_options(Access::public_, 0));
  router.add(Method::post, "/khao-sat",
             [&surveys, &units, &catalogue](Request& request) { return submit_page(surveys, units, catalogue, request); },
             http::route_options(Access::public_, 16 * 1024));
  router.add(Method::get, "/khao-sat/cam-on", [](Request& request) { return thanks_page(request); },
             http::route_options(Access::public_, 0));
  router.add(Method::get, "/khao-sat/ma-qr.svg",
             [&units, &catalogue, public_url = std::move(public_url)](Request& request) {
               return qr_code(units, catalogue, public_url, request);
             },
             http::route_options(Access::public_, 0));
  router.add(Method::get, "/quan-tri/khao-sat",
             [&surveys, &units, &catalogue](Request& request) { return staff_page(surveys, units, catalogue, request); },
             http::route_options(Access::staff, 0));
}

}  // namespace dvchub::feedback
