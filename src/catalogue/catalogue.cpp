#include "catalogue/catalogue.h"

#include <algorithm>
#include <charconv>

#include "core/dates.h"
#include "core/strings.h"
#include "csv/csv_reader.h"
#include "json/json.h"
#include "core/strings.h"

namespace dvchub::catalogue {
namespace {

const std::vector<std::string>& catalogue_header() {
  static const std::vector<std::string> header{
      "MaTTHC",    "TenTTHC",          "LinhVuc",     "CapThucHien",   "DuDieuKienToanTrinh",
      "CungCapTrucTuyen", "CoPhiLePhi", "ThoiHanGiaiQuyet", "DonViThoiHan", "LePhi",
      "ThanhPhanHoSo", "CoQuanThucHien", "DuongDanNopTrucTuyen", "Topic"};
  return header;
}

std::optional<int> small_integer(const std::string& text, int maximum) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0 || value > maximum) return std::nullopt;
  return value;
}

}  // namespace

Result<CatalogueReport> parse_catalogue(const std::string& csv_text) {
  CatalogueReport report;
  bool header_ok = true;
  DVCHUB_TRY(csv::read_records(csv_text, [&](std::size_t number, std::vector<std::string>& fields) {
    if (number == 1) {
      const auto& expected = catalogue_header();
      header_ok = fields.size() >= 7 && std::equal(expected.begin(), expected.begin() + 7, fields.begin(),
                                                   [](const std::string& want, const std::string& got) {
                                                     return want == trimmed(got);
                                                   });
      return header_ok;
    }
    if (fields.size() == 1 && trimmed(fields[0]).empty()) return true;
    auto reject = [&](const std::string& message) {
      report.rejected.push_back({"dòng " + std::to_string(number), message});
      return true;
    };
    fields.resize(std::max(fields.size(), catalogue_header().size()));
    Procedure procedure;
    procedure.code = trimmed(fields[0]);
    procedure.name = trimmed(fields[1]);
    procedure.field = trimmed(fields[2]);
    procedure.level = trimmed(fields[3]);
    if (procedure.code.empty() || procedure.code.size() > 40) return reject("MaTTHC trống hoặc quá dài");
    if (procedure.name.empty()) return reject("TenTTHC trống");
    auto eligible = small_integer(trimmed(fields[4]), 1);
    auto online = small_integer(trimmed(fields[5]), 2);
    auto fees = small_integer(trimmed(fields[6]), 1);
    if (!eligible) return reject("DuDieuKienToanTrinh phải là 0 hoặc 1");
    if (!online) return reject("CungCapTrucTuyen phải là 0, 1 hoặc 2");
    if (!fees) return reject("CoPhiLePhi phải là 0 hoặc 1");
    procedure.full_online_eligible = *eligible == 1;
    procedure.online_level = *online;
    procedure.has_fees = *fees == 1;
    std::string time_limit = trimmed(fields[7]);
    if (!time_limit.empty()) {
      double value = 0;
      auto [end, error] = std::from_chars(time_limit.data(), time_limit.data() + time_limit.size(), value);
      if (error != std::errc() || end != time_limit.data() + time_limit.size() || value < 0) {
        return reject("ThoiHanGiaiQuyet phải là một số");
      }
      procedure.time_limit = value;
    }
    procedure.time_unit = trimmed(fields[8]);
    procedure.fee = trimmed(fields[9]);
    std::string documents = fields[10];
    for (std::size_t start = 0; start <= documents.size();) {
      auto separator = documents.find(" | ", start);
      std::string item = trimmed(documents.substr(start, separator == std::string::npos ? std::string::npos
                                                                                          : separator - start));
      if (!item.empty()) procedure.documents.push_back(item);
      if (separator == std::string::npos) break;
      start = separator + 3;
    }
    procedure.agency = trimmed(fields[11]);
    procedure.submit_url = trimmed(fields[12]);
    procedure.topic = trimmed(fields[13]);
    report.procedures.push_back(std::move(procedure));
    return true;
  }));
  if (!header_ok) {
    return fail(ErrorCode::invalid_input,
                "Dòng tiêu đề của danh mục thủ tục phải bắt đầu bằng: MaTTHC,TenTTHC,LinhVuc,CapThucHien,"
                "DuDieuKienToanTrinh,CungCapTrucTuyen,CoPhiLePhi");
  }
  return report;
}

namespace {

constexpr const char* procedure_columns =
    "code, name, field, level, full_online_eligible, online_level, has_fees, time_limit, time_unit, fee, documents, "
    "agency, submit_url, topic";

std::string join_documents(const std::vector<std::string>& documents) {
  std::string joined;
  for (const auto& document : documents) joined += (joined.empty() ? "" : " | ") + document;
  return joined;
}

Procedure procedure_from_row(const storage::Row& row) {
  Procedure procedure;
  procedure.code = row.text(0);
  procedure.name = row.text(1);
  procedure.field = row.text(2);
  procedure.level = row.text(3);
  procedure.full_online_eligible = row.integer(4) != 0;
  procedure.online_level = static_cast<int>(row.integer(5));
  procedure.has_fees = row.integer(6) != 0;
  if (!row.is_null(7)) procedure.time_limit = row.real(7);
  procedure.time_unit = row.text(8);
  procedure.fee = row.text(9);
  std::string documents = row.text(10);
  for (std::size_t start = 0; start < documents.size();) {
    auto separator = documents.find(" | ", start);
    procedure.documents.push_back(documents.substr(start, separator == std::string::npos ? std::string::npos
                                                                                          : separator - start));
    if (separator == std::string::npos) break;
    start = separator + 3;
  }
  procedure.agency = row.text(11);
  procedure.submit_url = row.text(12);
  procedure.topic = row.text(13);
  return procedure;
}

storage::Parameters procedure_parameters(const Procedure& procedure) {
  return {procedure.code,
          procedure.name,
          procedure.field,
          procedure.level,
          std::int64_t{procedure.full_online_eligible ? 1 : 0},
          std::int64_t{procedure.online_level},
          std::int64_t{procedure.has_fees ? 1 : 0},
          procedure.time_limit ? storage::Value{*procedure.time_limit} : storage::Value{},
          procedure.time_unit,
          procedure.fee,
          join_documents(procedure.documents),
          procedure.agency,
          procedure.submit_url,
          procedure.topic};
}

bool same_procedure(const Procedure& left, const Procedure& right) {
  return procedure_json(left) == procedure_json(right);
}

// A JSON field as the CSV text it stands for (numbers as digits, arrays joined with " | ").
std::string json_field(const json::Object& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || found->value().is_null()) return "";
  const auto& value = found->value();
  if (value.is_string()) return std::string(value.as_string().c_str());
  if (value.is_int64()) return std::to_string(value.as_int64());
  if (value.is_uint64()) return std::to_string(value.as_uint64());
  if (value.is_double()) {
    std::string text = std::to_string(value.as_double());
    while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.')) {
      bool dot = text.back() == '.';
      text.pop_back();
      if (dot) break;
    }
    return text;
  }
  if (value.is_bool()) return value.as_bool() ? "1" : "0";
  if (value.is_array()) {
    std::string joined;
    for (const auto& item : value.as_array()) {
      if (item.is_string()) joined += (joined.empty() ? "" : " | ") + std::string(item.as_string().c_str());
    }
    return joined;
  }
  return "";
}

}  // namespace

std::string procedure_json(const Procedure& procedure) {
  json::Object object;
  object["code"] = procedure.code;
  object["name"] = procedure.name;
  object["field"] = procedure.field;
  object["level"] = procedure.level;
  object["full_online_eligible"] = procedure.full_online_eligible;
  object["online_level"] = procedure.online_level;
  object["has_fees"] = procedure.has_fees;
  object["time_limit"] = procedure.time_limit ? json::Value(*procedure.time_limit) : json::Value(nullptr);
  object["time_unit"] = procedure.time_unit;
  object["fee"] = procedure.fee;
  json::Array documents;
  for (const auto& document : procedure.documents) documents.push_back(json::Value(document));
  object["documents"] = std::move(documents);
  object["agency"] = procedure.agency;
  object["submit_url"] = procedure.submit_url;
  object["topic"] = procedure.topic;
  return json::serialize(object);
}

Result<CatalogueReport> parse_catalogue_json(const std::string& json_text) {
  // Rebuild the CSV columns from each object and reuse the CSV validation, so both formats follow one rule set.
  auto parsed = json::parse_object("{\"items\":" + json_text + "}", 8);
  if (!parsed || !parsed->at("items").is_array()) {
    return fail(ErrorCode::invalid_input, "Tệp JSON phải là một mảng các thủ tục [ {…}, … ]");
  }
  const auto& header = catalogue_header();
  std::string csv;
  for (std::size_t index = 0; index < header.size(); ++index) csv += (index ? "," : "") + header[index];
  csv += "\n";
  std::vector<FieldError> rejected;
  std::size_t number = 0;
  std::vector<std::size_t> item_of_line;
  for (const auto& item : parsed->at("items").as_array()) {
    ++number;
    if (!item.is_object()) {
      rejected.push_back({"mục " + std::to_string(number), "không phải một đối tượng {…}"});
      continue;
    }
    for (std::size_t index = 0; index < header.size(); ++index) {
      std::string value = json_field(item.as_object(), header[index].c_str());
      std::string quoted = "\"";
      for (char character : value) quoted += character == '"' ? std::string("\"\"") : std::string(1, character);
      csv += (index ? "," : "") + quoted + "\"";
    }
    csv += "\n";
    item_of_line.push_back(number);
  }
  auto report = DVCHUB_TRY(parse_catalogue(csv));
  for (auto& failure : report.rejected) {
    // "dòng N" of the rebuilt CSV (line 1 is the header) is item item_of_line[N - 2].
    std::size_t line = std::stoul(failure.field.substr(failure.field.find(' ') + 1));
    failure.field = "mục " + std::to_string(item_of_line.at(line - 2));
  }
  report.rejected.insert(report.rejected.begin(), rejected.begin(), rejected.end());
  return report;
}

Result<ImportSummary> CatalogueService::import(const CatalogueReport& parsed, const audit::Actor& actor,
                                               const std::function<void(std::size_t, std::size_t)>& progress) {
  ImportSummary summary;
  summary.rejected = parsed.rejected;
  auto connection = DVCHUB_TRY(database_.acquire());
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    std::size_t done = 0;
    for (const auto& procedure : parsed.procedures) {
      if (progress) progress(++done, parsed.procedures.size());
      auto existing = DVCHUB_TRY(connection->query_one(
          std::string("SELECT ") + procedure_columns + " FROM procedures WHERE code = $1", {procedure.code}));
      auto parameters = procedure_parameters(procedure);
      parameters.push_back(to_unix_seconds(clock_.now()));
      if (!existing) {
        DVCHUB_TRY(connection->execute(std::string("INSERT INTO procedures (") + procedure_columns +
                                           ", updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                                           "$12, $13, $14, $15)",
                                       parameters));
        DVCHUB_TRY(audit::record(*connection, clock_, actor,
                                 {"procedure.create", "procedure", procedure.code, std::nullopt,
                                  procedure_json(procedure)}));
        ++summary.created;
        continue;
      }
      Procedure before = procedure_from_row(*existing);
      if (same_procedure(before, procedure)) {
        ++summary.unchanged;
        continue;
      }
      DVCHUB_TRY(connection->execute(
          "UPDATE procedures SET name = $2, field = $3, level = $4, full_online_eligible = $5, online_level = $6, "
          "has_fees = $7, time_limit = $8, time_unit = $9, fee = $10, documents = $11, agency = $12, "
          "submit_url = $13, topic = $14, updated_at = $15 WHERE code = $1",
          parameters));
      DVCHUB_TRY(audit::record(*connection, clock_, actor,
                               {"procedure.update", "procedure", procedure.code, procedure_json(before),
                                procedure_json(procedure)}));
      ++summary.updated;
    }
    return {};
  }));
  return summary;
}

Result<ImportSummary> CatalogueService::import_text(const std::string& text, const audit::Actor& actor,
                                                    const std::function<void(std::size_t, std::size_t)>& progress) {
  std::string start = trimmed(text.substr(0, 16));
  auto parsed = DVCHUB_TRY(start.rfind("[", 0) == 0 ? parse_catalogue_json(text) : parse_catalogue(text));
  return import(parsed, actor, progress);
}

Result<ProcedurePage> CatalogueService::list(std::int64_t page, std::int64_t page_size,
                                             const std::optional<std::string>& field) const {
  page = std::max<std::int64_t>(page, 1);
  page_size = std::clamp<std::int64_t>(page_size, 1, 200);
  auto connection = DVCHUB_TRY(database_.acquire());
  auto total = DVCHUB_TRY(connection->query_one(
      "SELECT COUNT(*) FROM procedures WHERE CAST($1 AS TEXT) IS NULL OR field = $1", {storage::optional_value(field)}));
  auto rows = DVCHUB_TRY(connection->query(
      std::string("SELECT ") + procedure_columns +
          " FROM procedures WHERE CAST($1 AS TEXT) IS NULL OR field = $1 ORDER BY code LIMIT $2 OFFSET $3",
      {storage::optional_value(field), page_size, (page - 1) * page_size}));
  ProcedurePage result;
  result.total = total->integer(0);
  for (const auto& row : rows) result.procedures.push_back(procedure_from_row(row));
  return result;
}

Result<std::optional<Procedure>> CatalogueService::find(const std::string& code) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(
      connection->query_one(std::string("SELECT ") + procedure_columns + " FROM procedures WHERE code = $1", {code}));
  if (!row) return std::optional<Procedure>{};
  return std::optional<Procedure>{procedure_from_row(*row)};
}

Result<std::vector<Procedure>> CatalogueService::changed_since(TimePoint instant) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(
      std::string("SELECT ") + procedure_columns + " FROM procedures WHERE updated_at >= $1 ORDER BY code",
      {to_unix_seconds(instant)}));
  std::vector<Procedure> procedures;
  for (const auto& row : rows) procedures.push_back(procedure_from_row(row));
  return procedures;
}

Result<std::vector<Procedure>> CatalogueService::all() const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(
      connection->query(std::string("SELECT ") + procedure_columns + " FROM procedures ORDER BY code"));
  std::vector<Procedure> procedures;
  for (const auto& row : rows) procedures.push_back(procedure_from_row(row));
  return procedures;
}

}  // namespace dvchub::catalogue
