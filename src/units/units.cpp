#include "units/units.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/dates.h"
#include "core/strings.h"
#include "csv/csv_reader.h"
#include "units/unit_json.h"

namespace dvchub::units {
namespace {

using storage::Connection;
using storage::Parameters;

// The columns of a unit as of a day; `$1` is the day. Used with a WHERE clause appended.
constexpr const char* unit_as_of_select =
    "SELECT u.id, u.code, v.name, u.kind, p.code, u.valid_from, u.valid_to, u.illustrative "
    "FROM units u "
    "JOIN unit_versions v ON v.unit_id = u.id AND v.valid_from <= $1 AND (v.valid_to IS NULL OR v.valid_to > $1) "
    "LEFT JOIN units p ON p.id = v.parent_id ";

Unit unit_from_row(const storage::Row& row) {
  Unit unit;
  unit.id = row.integer(0);
  unit.code = row.text(1);
  unit.name = row.text(2);
  unit.kind = row.text(3);
  unit.parent_code = row.optional_text(4);
  unit.valid_from = row.text(5);
  unit.valid_to = row.optional_text(6);
  unit.illustrative = row.integer(7) != 0;
  return unit;
}

struct UnitRecord {
  std::int64_t id = 0;
  std::string code;
  std::string kind;
  std::string valid_from;
  std::optional<std::string> valid_to;
};

struct Version {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> parent_id;
  std::string valid_from;
  std::optional<std::string> valid_to;
};

bool valid_on(const UnitRecord& unit, const std::string& day) {
  return unit.valid_from <= day && (!unit.valid_to || *unit.valid_to > day);
}

Result<UnitRecord> load_unit(Connection& connection, const std::string& code) {
  auto row = DVCHUB_TRY(
      connection.query_one("SELECT id, code, kind, valid_from, valid_to FROM units WHERE code = $1", {code}));
  if (!row) return fail(ErrorCode::not_found, "Không tìm thấy đơn vị có mã " + code);
  return UnitRecord{row->integer(0), row->text(1), row->text(2), row->text(3), row->optional_text(4)};
}

Result<Version> latest_version(Connection& connection, std::int64_t unit_id) {
  auto row = DVCHUB_TRY(connection.query_one(
      "SELECT id, name, parent_id, valid_from, valid_to FROM unit_versions WHERE unit_id = $1 "
      "ORDER BY valid_from DESC LIMIT 1",
      {unit_id}));
  if (!row) return fail(ErrorCode::internal, "Dữ liệu đơn vị không nhất quán", "unit without version");
  return Version{row->integer(0), row->text(1), row->optional_integer(2), row->text(3), row->optional_text(4)};
}

Result<Unit> load_as_of(Connection& connection, const std::string& code, const std::string& day) {
  auto row = DVCHUB_TRY(connection.query_one(std::string(unit_as_of_select) + "WHERE u.code = $2", {day, code}));
  if (row) return unit_from_row(*row);
  // Not valid that day: describe it by its latest version.
  auto unit = DVCHUB_TRY(load_unit(connection, code));
  auto version = DVCHUB_TRY(latest_version(connection, unit.id));
  auto illustrative = DVCHUB_TRY(connection.query_one("SELECT illustrative FROM units WHERE id = $1", {unit.id}));
  std::optional<std::string> parent_code;
  if (version.parent_id) {
    auto parent = DVCHUB_TRY(connection.query_one("SELECT code FROM units WHERE id = $1", {*version.parent_id}));
    if (parent) parent_code = parent->text(0);
  }
  return Unit{unit.id, unit.code, version.name, unit.kind, parent_code, unit.valid_from, unit.valid_to,
              illustrative && illustrative->integer(0) != 0};
}

// Validates and normalises a date given as ISO or dd/mm/yyyy.
Result<std::string> normalise_date(const std::string& text, const std::string& field) {
  auto date = parse_date(text);
  if (!date) {
    return fail_fields({{field, "Ngày không hợp lệ: dùng dạng dd/mm/yyyy hoặc yyyy-mm-dd"}});
  }
  return format_iso_date(*date);
}

bool valid_code(const std::string& code) {
  if (code.empty() || code.size() > 40) return false;
  return std::all_of(code.begin(), code.end(), [](char character) {
    return (character >= '0' && character <= '9') || (character >= 'A' && character <= 'Z') ||
           (character >= 'a' && character <= 'z') || character == '.' || character == '-' || character == '_';
  });
}

Result<void> check_name(const std::string& name, const std::string& field = "name") {
  if (name.empty()) return fail_fields({{field, "Chưa nhập tên đơn vị"}});
  if (name.size() > 300) return fail_fields({{field, "Tên đơn vị quá dài (tối đa 300 byte)"}});
  return {};
}

// Ends the unit's latest version on `day` and opens one with `name` and `parent_id`; a change on the same day as
// the latest version's start edits that version instead. Refuses days before the latest change.
Result<void> change_version(Connection& connection, const UnitRecord& unit, const std::string& day,
                            const std::string& name, std::optional<std::int64_t> parent_id) {
  auto version = DVCHUB_TRY(latest_version(connection, unit.id));
  if (day < version.valid_from) {
    return fail_fields({{"effective_date", "Ngày hiệu lực phải từ " +
                                               format_display_date(*parse_iso_date(version.valid_from)) +
                                               " (lần thay đổi gần nhất) trở đi"}});
  }
  if (day == version.valid_from) {
    DVCHUB_TRY(connection.execute("UPDATE unit_versions SET name = $1, parent_id = $2 WHERE id = $3",
                                  {name, storage::optional_value(parent_id), version.id}));
    return {};
  }
  DVCHUB_TRY(connection.execute("UPDATE unit_versions SET valid_to = $1 WHERE id = $2", {day, version.id}));
  DVCHUB_TRY(connection.execute(
      "INSERT INTO unit_versions (unit_id, name, parent_id, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5)",
      {unit.id, name, storage::optional_value(parent_id), day, storage::optional_value(unit.valid_to)}));
  return {};
}

// Ids of units whose parent on `day` is `parent_id`.
Result<std::vector<std::int64_t>> children_on(Connection& connection, std::int64_t parent_id, const std::string& day) {
  auto rows = DVCHUB_TRY(connection.query(
      "SELECT u.id FROM units u JOIN unit_versions v ON v.unit_id = u.id "
      "WHERE v.parent_id = $1 AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2) "
      "AND u.valid_from <= $2 AND (u.valid_to IS NULL OR u.valid_to > $2) ORDER BY u.code",
      {parent_id, day}));
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(row.integer(0));
  return ids;
}

Result<std::vector<std::int64_t>> subtree_on(Connection& connection, std::int64_t unit_id, const std::string& day) {
  auto rows = DVCHUB_TRY(connection.query(
      "WITH RECURSIVE tree (id) AS (SELECT CAST($1 AS BIGINT) UNION "
      "SELECT v.unit_id FROM unit_versions v JOIN tree ON v.parent_id = tree.id "
      "WHERE v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)) "
      "SELECT tree.id FROM tree JOIN units u ON u.id = tree.id "
      "WHERE u.valid_from <= $2 AND (u.valid_to IS NULL OR u.valid_to > $2)",
      {unit_id, day}));
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(row.integer(0));
  return ids;
}

// Moves every child of `from_id` on `day` under `to_id` (nullopt: top level).
Result<void> move_children(Connection& connection, std::int64_t from_id, std::optional<std::int64_t> to_id,
                           const std::string& day) {
  for (auto child_id : DVCHUB_TRY(children_on(connection, from_id, day))) {
    auto child = DVCHUB_TRY(connection.query_one(
        "SELECT id, code, kind, valid_from, valid_to FROM units WHERE id = $1", {child_id}));
    UnitRecord record{child->integer(0), child->text(1), child->text(2), child->text(3), child->optional_text(4)};
    auto version = DVCHUB_TRY(latest_version(connection, child_id));
    DVCHUB_TRY(change_version(connection, record, day, version.name, to_id));
  }
  return {};
}

// Ends a unit on `day`: the unit and its latest version stop being valid that day.
Result<void> end_unit(Connection& connection, const UnitRecord& unit, const std::string& day) {
  if (!valid_on(unit, day) || day == unit.valid_from) {
    return fail_fields({{"effective_date", "Đơn vị " + unit.code + " không còn hoạt động vào ngày này, hoặc vừa "
                                                                   "được thành lập cùng ngày"}});
  }
  auto version = DVCHUB_TRY(latest_version(connection, unit.id));
  if (day < version.valid_from) {
    return fail_fields({{"effective_date", "Ngày hiệu lực phải từ lần thay đổi gần nhất của " + unit.code + " trở đi"}});
  }
  DVCHUB_TRY(connection.execute("UPDATE units SET valid_to = $1 WHERE id = $2", {day, unit.id}));
  if (day == version.valid_from) {
    // A change made earlier the same day (e.g. a new parent when the district ended) would now cover no day at
    // all: drop that empty period. The version before it already ends on `day`; the audit log keeps the change.
    DVCHUB_TRY(connection.execute("DELETE FROM unit_versions WHERE id = $1", {version.id}));
  } else {
    DVCHUB_TRY(connection.execute("UPDATE unit_versions SET valid_to = $1 WHERE id = $2", {day, version.id}));
  }
  return {};
}

Result<void> add_succession(Connection& connection, std::int64_t predecessor_id, std::int64_t successor_id,
                            const std::string& day, const std::string& reason) {
  DVCHUB_TRY(connection.execute(
      "INSERT INTO unit_successions (predecessor_id, successor_id, effective_date, reason) VALUES ($1, $2, $3, $4)",
      {predecessor_id, successor_id, day, reason}));
  return {};
}

// Validates a new unit and resolves its parent on its first day.
Result<std::optional<std::int64_t>> check_new_unit(Connection& connection, const NewUnit& unit) {
  std::vector<FieldError> errors;
  if (!valid_code(unit.code)) {
    errors.push_back({"code", "Mã đơn vị gồm 1–40 ký tự: chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới"});
  }
  if (unit.name.empty()) errors.push_back({"name", "Chưa nhập tên đơn vị"});
  if (unit.name.size() > 300) errors.push_back({"name", "Tên đơn vị quá dài (tối đa 300 byte)"});
  const auto& kinds = unit_kinds();
  if (std::find(kinds.begin(), kinds.end(), unit.kind) == kinds.end()) {
    errors.push_back({"kind", "Loại đơn vị không hợp lệ"});
  }
  if (!parse_iso_date(unit.valid_from)) errors.push_back({"valid_from", "Ngày thành lập không hợp lệ"});
  if (!errors.empty()) return fail_fields(std::move(errors));

  auto existing = DVCHUB_TRY(connection.query_one("SELECT id FROM units WHERE code = $1", {unit.code}));
  if (existing) return fail(ErrorCode::conflict, "Mã đơn vị " + unit.code + " đã tồn tại; mã không được dùng lại");
  if (!unit.parent_code || unit.parent_code->empty()) return std::optional<std::int64_t>{};
  auto parent = load_unit(connection, *unit.parent_code);
  if (!parent) return fail_fields({{"parent_code", "Không tìm thấy đơn vị cấp trên " + *unit.parent_code}});
  if (!valid_on(*parent, unit.valid_from)) {
    return fail_fields({{"parent_code", "Đơn vị cấp trên " + *unit.parent_code + " không hoạt động vào ngày " +
                                            format_display_date(*parse_iso_date(unit.valid_from))}});
  }
  return std::optional<std::int64_t>{parent->id};
}

Result<std::int64_t> insert_unit(Connection& connection, const NewUnit& unit, std::optional<std::int64_t> parent_id,
                                 const Clock& clock) {
  auto row = DVCHUB_TRY(connection.query_one(
      "INSERT INTO units (code, kind, valid_from, valid_to, illustrative, created_at) "
      "VALUES ($1, $2, $3, NULL, $4, $5) RETURNING id",
      {unit.code, unit.kind, unit.valid_from, std::int64_t{unit.illustrative ? 1 : 0}, to_unix_seconds(clock.now())}));
  std::int64_t id = row->integer(0);
  DVCHUB_TRY(connection.execute(
      "INSERT INTO unit_versions (unit_id, name, parent_id, valid_from, valid_to) VALUES ($1, $2, $3, $4, NULL)",
      {id, unit.name, storage::optional_value(parent_id), unit.valid_from}));
  return id;
}

audit::Change unit_change(std::string action, const std::string& code, const std::optional<Unit>& before,
                          const std::optional<Unit>& after) {
  return audit::Change{std::move(action), "unit", code,
                       before ? std::optional<std::string>(unit_json(*before)) : std::nullopt,
                       after ? std::optional<std::string>(unit_json(*after)) : std::nullopt};
}

NewUnit normalised(NewUnit unit) {
  unit.code = trimmed(unit.code);
  unit.name = trimmed(unit.name);
  if (unit.parent_code) unit.parent_code = trimmed(*unit.parent_code);
  if (auto date = parse_date(trimmed(unit.valid_from))) unit.valid_from = format_iso_date(*date);
  return unit;
}

}  // namespace

const std::vector<std::string>& unit_kinds() {
  static const std::vector<std::string> kinds{"province", "district", "commune", "ward",
                                              "town",     "department", "centre", "other"};
  return kinds;
}

std::string kind_label(const std::string& kind) {
  static const std::map<std::string, std::string> labels{
      {"province", "Tỉnh/Thành phố"}, {"district", "Huyện (trước 01/07/2025)"}, {"commune", "Xã"},
      {"ward", "Phường"}, {"town", "Thị trấn"}, {"department", "Cơ quan chuyên môn"},
      {"centre", "Trung tâm/Đơn vị sự nghiệp"}, {"other", "Khác"}};
  auto found = labels.find(kind);
  return found == labels.end() ? kind : found->second;
}

json::Object unit_object(const Unit& unit) {
  json::Object object;
  object["code"] = unit.code;
  object["name"] = unit.name;
  object["kind"] = unit.kind;
  object["parent_code"] = json::optional_string(unit.parent_code);
  object["valid_from"] = unit.valid_from;
  object["valid_to"] = json::optional_string(unit.valid_to);
  object["illustrative"] = unit.illustrative;
  return object;
}

std::string unit_json(const Unit& unit) { return json::serialize(unit_object(unit)); }

std::string UnitService::today() const { return format_iso_date(vietnam_date(clock_.now())); }

Result<std::vector<Unit>> UnitService::list(const std::string& as_of, const std::optional<std::string>& kind) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(
      std::string(unit_as_of_select) +
          "WHERE u.valid_from <= $1 AND (u.valid_to IS NULL OR u.valid_to > $1) AND (CAST($2 AS TEXT) IS NULL OR u.kind = $2) "
          "ORDER BY u.code",
      {as_of, storage::optional_value(kind)}));
  std::vector<Unit> units;
  units.reserve(rows.size());
  for (const auto& row : rows) units.push_back(unit_from_row(row));
  return units;
}

Result<Unit> UnitService::find(const std::string& code, const std::string& as_of) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  return load_as_of(*connection, code, as_of);
}

Result<std::int64_t> UnitService::count(const std::string& as_of) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(connection->query_one(
      "SELECT COUNT(*) FROM units WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)", {as_of}));
  return row->integer(0);
}

Result<Unit> UnitService::create(const NewUnit& requested, const audit::Actor& actor) {
  NewUnit unit = normalised(requested);
  auto connection = DVCHUB_TRY(database_.acquire());
  Unit created;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto parent_id = DVCHUB_TRY(check_new_unit(*connection, unit));
    DVCHUB_TRY(insert_unit(*connection, unit, parent_id, clock_));
    created = DVCHUB_TRY(load_as_of(*connection, unit.code, unit.valid_from));
    return audit::record(*connection, clock_, actor, unit_change("unit.create", unit.code, std::nullopt, created));
  }));
  return created;
}

Result<Unit> UnitService::rename(const std::string& code, const std::string& new_name,
                                 const std::string& effective_date, const audit::Actor& actor) {
  auto day = DVCHUB_TRY(normalise_date(effective_date, "effective_date"));
  std::string name = trimmed(new_name);
  DVCHUB_TRY(check_name(name));
  auto connection = DVCHUB_TRY(database_.acquire());
  Unit after;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto unit = DVCHUB_TRY(load_unit(*connection, code));
    if (!valid_on(unit, day)) return fail_fields({{"effective_date", "Đơn vị không hoạt động vào ngày này"}});
    auto before = DVCHUB_TRY(load_as_of(*connection, code, day));
    auto version = DVCHUB_TRY(latest_version(*connection, unit.id));
    DVCHUB_TRY(change_version(*connection, unit, day, name, version.parent_id));
    after = DVCHUB_TRY(load_as_of(*connection, code, day));
    return audit::record(*connection, clock_, actor, unit_change("unit.rename", code, before, after));
  }));
  return after;
}

Result<Unit> UnitService::move(const std::string& code, const std::optional<std::string>& new_parent_code,
                               const std::string& effective_date, const audit::Actor& actor) {
  auto day = DVCHUB_TRY(normalise_date(effective_date, "effective_date"));
  auto connection = DVCHUB_TRY(database_.acquire());
  Unit after;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto unit = DVCHUB_TRY(load_unit(*connection, code));
    if (!valid_on(unit, day)) return fail_fields({{"effective_date", "Đơn vị không hoạt động vào ngày này"}});
    std::optional<std::int64_t> parent_id;
    if (new_parent_code && !new_parent_code->empty()) {
      auto parent = load_unit(*connection, *new_parent_code);
      if (!parent) return fail_fields({{"parent_code", "Không tìm thấy đơn vị cấp trên " + *new_parent_code}});
      if (!valid_on(*parent, day)) {
        return fail_fields({{"parent_code", "Đơn vị cấp trên không hoạt động vào ngày hiệu lực"}});
      }
      auto subtree = DVCHUB_TRY(subtree_on(*connection, unit.id, day));
      if (std::find(subtree.begin(), subtree.end(), parent->id) != subtree.end()) {
        return fail_fields({{"parent_code", "Không thể chuyển đơn vị vào chính nó hoặc đơn vị trực thuộc nó"}});
      }
      parent_id = parent->id;
    }
    auto before = DVCHUB_TRY(load_as_of(*connection, code, day));
    auto version = DVCHUB_TRY(latest_version(*connection, unit.id));
    DVCHUB_TRY(change_version(*connection, unit, day, version.name, parent_id));
    after = DVCHUB_TRY(load_as_of(*connection, code, day));
    return audit::record(*connection, clock_, actor, unit_change("unit.move", code, before, after));
  }));
  return after;
}

Result<Unit> UnitService::merge(const std::vector<std::string>& codes, const std::string& target_code,
                                const std::optional<NewUnit>& new_target, const std::string& effective_date,
                                const audit::Actor& actor) {
  auto day = DVCHUB_TRY(normalise_date(effective_date, "effective_date"));
  if (codes.empty()) return fail_fields({{"codes", "Chọn ít nhất một đơn vị để sáp nhập"}});
  std::set<std::string> unique_codes(codes.begin(), codes.end());
  if (unique_codes.size() != codes.size()) return fail_fields({{"codes", "Danh sách đơn vị bị trùng"}});
  if (unique_codes.count(target_code)) {
    return fail_fields({{"target_code", "Đơn vị nhận sáp nhập không được nằm trong danh sách bị sáp nhập"}});
  }
  auto connection = DVCHUB_TRY(database_.acquire());
  Unit target;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    std::optional<std::int64_t> target_id;
    if (new_target) {
      NewUnit unit = normalised(*new_target);
      unit.code = target_code;
      unit.valid_from = day;
      auto parent_id = DVCHUB_TRY(check_new_unit(*connection, unit));
      target_id = DVCHUB_TRY(insert_unit(*connection, unit, parent_id, clock_));
      auto created = DVCHUB_TRY(load_as_of(*connection, unit.code, day));
      DVCHUB_TRY(audit::record(*connection, clock_, actor, unit_change("unit.create", unit.code, std::nullopt, created)));
    } else {
      auto existing = load_unit(*connection, target_code);
      if (!existing) return fail_fields({{"target_code", "Không tìm thấy đơn vị nhận sáp nhập " + target_code}});
      if (!valid_on(*existing, day)) {
        return fail_fields({{"target_code", "Đơn vị nhận sáp nhập không hoạt động vào ngày hiệu lực"}});
      }
      target_id = existing->id;
    }
    for (const auto& code : codes) {
      auto unit = load_unit(*connection, code);
      if (!unit) return fail_fields({{"codes", "Không tìm thấy đơn vị " + code}});
      auto before = DVCHUB_TRY(load_as_of(*connection, code, day));
      DVCHUB_TRY(move_children(*connection, unit->id, target_id, day));
      DVCHUB_TRY(end_unit(*connection, *unit, day));
      DVCHUB_TRY(add_succession(*connection, unit->id, *target_id, day, "merge"));
      auto after = DVCHUB_TRY(load_as_of(*connection, code, day));
      DVCHUB_TRY(audit::record(*connection, clock_, actor, unit_change("unit.merge", code, before, after)));
    }
    target = DVCHUB_TRY(load_as_of(*connection, target_code, day));
    return {};
  }));
  return target;
}

Result<std::vector<Unit>> UnitService::split(const std::string& code, const std::vector<NewUnit>& parts,
                                             const std::string& effective_date, const audit::Actor& actor) {
  auto day = DVCHUB_TRY(normalise_date(effective_date, "effective_date"));
  if (parts.size() < 2) return fail_fields({{"parts", "Chia tách cần ít nhất hai đơn vị mới"}});
  auto connection = DVCHUB_TRY(database_.acquire());
  std::vector<Unit> created;
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto unit = DVCHUB_TRY(load_unit(*connection, code));
    if (!DVCHUB_TRY(children_on(*connection, unit.id, day)).empty()) {
      return fail_fields({{"code", "Hãy chuyển các đơn vị trực thuộc " + code + " sang đơn vị khác trước khi chia tách"}});
    }
    auto before = DVCHUB_TRY(load_as_of(*connection, code, day));
    DVCHUB_TRY(end_unit(*connection, unit, day));
    for (const auto& requested : parts) {
      NewUnit part = normalised(requested);
      part.valid_from = day;
      auto parent_id = DVCHUB_TRY(check_new_unit(*connection, part));
      auto part_id = DVCHUB_TRY(insert_unit(*connection, part, parent_id, clock_));
      DVCHUB_TRY(add_succession(*connection, unit.id, part_id, day, "split"));
      created.push_back(DVCHUB_TRY(load_as_of(*connection, part.code, day)));
      DVCHUB_TRY(
          audit::record(*connection, clock_, actor, unit_change("unit.create", part.code, std::nullopt, created.back())));
    }
    auto after = DVCHUB_TRY(load_as_of(*connection, code, day));
    return audit::record(*connection, clock_, actor, unit_change("unit.split", code, before, after));
  }));
  return created;
}

Result<void> UnitService::dissolve(const std::string& code, const std::optional<std::string>& successor_code,
                                   const std::string& effective_date, const audit::Actor& actor) {
  auto day = DVCHUB_TRY(normalise_date(effective_date, "effective_date"));
  auto connection = DVCHUB_TRY(database_.acquire());
  return storage::in_transaction(*connection, [&]() -> Result<void> {
    auto unit = DVCHUB_TRY(load_unit(*connection, code));
    auto before = DVCHUB_TRY(load_as_of(*connection, code, day));
    std::optional<std::int64_t> heir_id;
    std::optional<std::int64_t> successor_id;
    if (successor_code && !successor_code->empty()) {
      if (*successor_code == code) return fail_fields({{"successor_code", "Đơn vị kế thừa phải là đơn vị khác"}});
      auto successor = load_unit(*connection, *successor_code);
      if (!successor) return fail_fields({{"successor_code", "Không tìm thấy đơn vị kế thừa " + *successor_code}});
      if (!valid_on(*successor, day)) {
        return fail_fields({{"successor_code", "Đơn vị kế thừa không hoạt động vào ngày hiệu lực"}});
      }
      successor_id = successor->id;
      heir_id = successor->id;
    } else {
      heir_id = DVCHUB_TRY(latest_version(*connection, unit.id)).parent_id;
    }
    DVCHUB_TRY(move_children(*connection, unit.id, heir_id, day));
    DVCHUB_TRY(end_unit(*connection, unit, day));
    if (successor_id) DVCHUB_TRY(add_succession(*connection, unit.id, *successor_id, day, "dissolve"));
    auto after = DVCHUB_TRY(load_as_of(*connection, code, day));
    return audit::record(*connection, clock_, actor, unit_change("unit.dissolve", code, before, after));
  });
}

Result<std::vector<std::string>> UnitService::successors_as_of(const std::string& code,
                                                               const std::string& as_of) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  std::vector<std::string> result;
  std::set<std::string> seen;
  std::vector<std::string> pending{code};
  DVCHUB_TRY(load_unit(*connection, code));
  while (!pending.empty()) {
    std::string current = pending.back();
    pending.pop_back();
    if (!seen.insert(current).second) continue;
    auto unit = DVCHUB_TRY(load_unit(*connection, current));
    if (valid_on(unit, as_of)) {
      result.push_back(current);
      continue;
    }
    if (unit.valid_from > as_of) continue;  // not yet founded on that day
    auto rows = DVCHUB_TRY(connection->query(
        "SELECT s.code FROM unit_successions us JOIN units s ON s.id = us.successor_id WHERE us.predecessor_id = $1 "
        "AND us.effective_date <= $2",
        {unit.id, as_of}));
    for (const auto& row : rows) pending.push_back(row.text(0));
  }
  std::sort(result.begin(), result.end());
  return result;
}

Result<std::vector<std::int64_t>> UnitService::subtree_ids(std::int64_t unit_id, const std::string& as_of) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  return subtree_on(*connection, unit_id, as_of);
}

Result<bool> UnitService::is_within(std::int64_t unit_id, std::int64_t ancestor_id, const std::string& as_of) const {
  auto ids = DVCHUB_TRY(subtree_ids(ancestor_id, as_of));
  return std::find(ids.begin(), ids.end(), unit_id) != ids.end();
}

Result<std::vector<HistoryEvent>> UnitService::history(const std::string& code) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto unit = DVCHUB_TRY(load_unit(*connection, code));
  auto versions = DVCHUB_TRY(connection->query(
      "SELECT v.name, p.code, v.valid_from FROM unit_versions v LEFT JOIN units p ON p.id = v.parent_id "
      "WHERE v.unit_id = $1 ORDER BY v.valid_from",
      {unit.id}));
  std::vector<HistoryEvent> events;
  std::optional<std::string> previous_name;
  std::optional<std::string> previous_parent;
  for (std::size_t index = 0; index < versions.size(); ++index) {
    const auto& row = versions[index];
    std::string name = row.text(0);
    auto parent = row.optional_text(1);
    std::string parent_text = parent ? "trực thuộc " + *parent : "không có đơn vị cấp trên";
    if (index == 0) {
      events.push_back({row.text(2), "Thành lập: " + name + ", " + parent_text});
    } else {
      if (name != previous_name) events.push_back({row.text(2), "Đổi tên thành " + name});
      if (parent != previous_parent) events.push_back({row.text(2), "Chuyển: " + parent_text});
    }
    previous_name = name;
    previous_parent = parent;
  }
  for (const auto& succession : DVCHUB_TRY(successions(code))) {
    if (succession.predecessor_code == code) {
      std::string verb = succession.reason == "merge" ? "Sáp nhập vào " : succession.reason == "split" ? "Chia tách, kế thừa bởi " : "Giải thể, kế thừa bởi ";
      events.push_back({succession.effective_date, verb + succession.successor_code});
    } else {
      events.push_back({succession.effective_date, "Kế thừa " + succession.predecessor_code});
    }
  }
  if (unit.valid_to) {
    events.push_back({*unit.valid_to, "Chấm dứt hoạt động"});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const HistoryEvent& left, const HistoryEvent& right) { return left.date < right.date; });
  return events;
}

Result<std::vector<Succession>> UnitService::successions(const std::string& code) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto rows = DVCHUB_TRY(connection->query(
      "SELECT p.code, s.code, us.effective_date, us.reason FROM unit_successions us "
      "JOIN units p ON p.id = us.predecessor_id JOIN units s ON s.id = us.successor_id "
      "WHERE p.code = $1 OR s.code = $1 ORDER BY us.effective_date, p.code, s.code",
      {code}));
  std::vector<Succession> result;
  for (const auto& row : rows) result.push_back({row.text(0), row.text(1), row.text(2), row.text(3)});
  return result;
}

Result<ImportReport> UnitService::import_csv(const std::string& text, const audit::Actor& actor,
                                             const std::function<void(std::size_t, std::size_t)>& progress) {
  struct Line {
    std::size_t number;
    std::vector<std::string> fields;
  };
  std::vector<Line> lines;
  std::vector<std::string> header;
  DVCHUB_TRY(csv::read_records(text, [&](std::size_t number, std::vector<std::string>& fields) {
    if (number == 1) {
      header = fields;
    } else if (!(fields.size() == 1 && trimmed(fields[0]).empty())) {
      lines.push_back({number, fields});
    }
    return true;
  }));
  const std::vector<std::string> expected{"code", "name", "kind", "parent_code", "valid_from"};
  if (header.size() < expected.size() || !std::equal(expected.begin(), expected.end(), header.begin(),
                                                     [](const std::string& want, const std::string& got) {
                                                       return want == trimmed(got);
                                                     })) {
    return fail(ErrorCode::invalid_input,
                "Dòng tiêu đề phải là: code,name,kind,parent_code,valid_from[,valid_to]");
  }
  ImportReport report;
  auto connection = DVCHUB_TRY(database_.acquire());
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    std::size_t done = 0;
    for (const auto& line : lines) {
      if (progress) progress(++done, lines.size());
      auto reject = [&](const std::string& message) {
        report.rejected.push_back({"dòng " + std::to_string(line.number), message});
      };
      if (line.fields.size() < 5 || line.fields.size() > 6) {
        reject("cần 5 hoặc 6 cột, có " + std::to_string(line.fields.size()));
        continue;
      }
      NewUnit unit{trimmed(line.fields[0]), trimmed(line.fields[1]), trimmed(line.fields[2]),
                   trimmed(line.fields[3]).empty() ? std::nullopt : std::optional(trimmed(line.fields[3])),
                   trimmed(line.fields[4]), false};
      auto valid_from = parse_date(unit.valid_from);
      if (!valid_from) {
        reject("ngày valid_from không hợp lệ: " + unit.valid_from);
        continue;
      }
      unit.valid_from = format_iso_date(*valid_from);
      std::optional<std::string> valid_to;
      if (line.fields.size() == 6 && !trimmed(line.fields[5]).empty()) {
        auto parsed = parse_date(trimmed(line.fields[5]));
        if (!parsed || format_iso_date(*parsed) <= unit.valid_from) {
          reject("ngày valid_to không hợp lệ hoặc không sau valid_from");
          continue;
        }
        valid_to = format_iso_date(*parsed);
      }
      auto existing = DVCHUB_TRY(connection->query_one("SELECT id FROM units WHERE code = $1", {unit.code}));
      if (existing) {
        auto current = DVCHUB_TRY(load_as_of(*connection, unit.code, unit.valid_from));
        if (current.name == unit.name && current.kind == unit.kind && current.parent_code == unit.parent_code &&
            current.valid_from == unit.valid_from && current.valid_to == valid_to) {
          ++report.unchanged;
        } else {
          reject("mã " + unit.code + " đã có với dữ liệu khác; dùng chức năng đổi tên/chuyển/sáp nhập");
        }
        continue;
      }
      auto parent_id = check_new_unit(*connection, unit);
      if (!parent_id) {
        std::string message = parent_id.error().message;
        for (const auto& field : parent_id.error().fields) message = field.field + ": " + field.message;
        reject(message);
        continue;
      }
      auto id = DVCHUB_TRY(insert_unit(*connection, unit, *parent_id, clock_));
      if (valid_to) {
        DVCHUB_TRY(connection->execute("UPDATE units SET valid_to = $1 WHERE id = $2", {*valid_to, id}));
        DVCHUB_TRY(connection->execute("UPDATE unit_versions SET valid_to = $1 WHERE unit_id = $2", {*valid_to, id}));
      }
      auto created = DVCHUB_TRY(load_as_of(*connection, unit.code, unit.valid_from));
      DVCHUB_TRY(audit::record(*connection, clock_, actor, unit_change("unit.import", unit.code, std::nullopt, created)));
      ++report.created;
    }
    return {};
  }));
  return report;
}

}  // namespace dvchub::units
