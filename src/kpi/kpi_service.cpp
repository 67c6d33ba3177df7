#include "kpi/kpi_service.h"

#include <algorithm>
#include <charconv>
#include <compare>
#include <condition_variable>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/admission.h"
#include "core/dates.h"
#include "core/strings.h"
#include "kpi/feedback_figures.h"

namespace dvchub::kpi {
namespace {

using storage::Connection;
using storage::Parameters;
using storage::Value;

// Additive counts of received dossiers; the column order of kpi_daily_counts after (unit_id, day).
struct Counters {
  std::int64_t received = 0;
  std::int64_t online = 0;
  std::int64_t full_online = 0;
  std::int64_t with_due = 0;
  std::int64_t finished_on_time = 0;
  std::int64_t with_fees = 0;
  std::int64_t paid_online = 0;
  std::int64_t digitized = 0;
  std::int64_t finished = 0;
  std::int64_t electronic_result = 0;
  std::int64_t online_vneid = 0;

  std::int64_t* fields() { return &received; }
  static constexpr std::size_t field_count = 11;
  void add(const Counters& other, std::int64_t sign = 1) {
    const std::int64_t* source = &other.received;
    for (std::size_t index = 0; index < field_count; ++index) fields()[index] += sign * source[index];
  }
};
static_assert(sizeof(Counters) == Counters::field_count * sizeof(std::int64_t));

constexpr const char* counter_columns =
    "received, online, full_online, with_due, finished_on_time, with_fees, paid_online, digitized, finished, "
    "electronic_result, online_vneid";
constexpr const char* counter_sums =
    "SUM(received), SUM(online), SUM(full_online), SUM(with_due), SUM(finished_on_time), SUM(with_fees), "
    "SUM(paid_online), SUM(digitized), SUM(finished), SUM(electronic_result), SUM(online_vneid)";

// What the counters need to know of one stored dossier.
struct CountedDossier {
  std::int64_t unit_id = 0;
  bool full_online_procedure = false;
  std::optional<int> channel;
  DayNumber received_day = 0;
  std::optional<std::int64_t> due_at;
  std::optional<std::int64_t> finished_at;
  std::optional<int> supplements;
  std::optional<int> payment;
  std::optional<int> has_fees;
  std::optional<int> digitized;
  std::optional<int> electronic_result;
  std::optional<int> vneid;
};

Counters contribution(const CountedDossier& dossier) {
  Counters counters;
  const bool online = dossier.channel == 2;
  counters.received = 1;
  counters.online = online;
  counters.full_online = online && dossier.full_online_procedure;
  counters.with_due = dossier.due_at.has_value();
  counters.finished_on_time = dossier.due_at && dossier.finished_at && *dossier.finished_at <= *dossier.due_at &&
                              dossier.supplements.value_or(0) <= 1;
  counters.with_fees = dossier.has_fees == 1;
  counters.paid_online = dossier.has_fees == 1 && (dossier.payment == 1 || dossier.payment == 2);
  counters.digitized = dossier.digitized == 1;
  counters.finished = dossier.finished_at.has_value();
  counters.electronic_result = dossier.finished_at && dossier.electronic_result == 1;
  counters.online_vneid = online && dossier.vneid == 1;
  return counters;
}

std::uint64_t pack(std::int64_t unit_id, std::int64_t period) {
  return (std::uint64_t(unit_id) << 32) | std::uint32_t(period);
}

// A hash map from nonzero 64-bit keys to `Value`: open addressing, at most three quarters full, one allocation
// instead of a node per entry (an import gathers hundreds of thousands of (unit, day) entries).
template <typename Value>
class FlatMap {
 public:
  using Entry = std::pair<std::uint64_t, Value>;

  // The value of `key` (not 0), value-initialised when new.
  Value& operator[](std::uint64_t key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t index = mixed(key) & mask;; index = (index + 1) & mask) {
      Entry& slot = slots_[index];
      if (slot.first == key) return slot.second;
      if (slot.first == 0) {
        slot.first = key;
        ++size_;
        return slot.second;
      }
    }
  }

  // The value of `key`, or nullptr when it has none.
  Value* find(std::uint64_t key) {
    if (slots_.empty()) return nullptr;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t index = mixed(key) & mask;; index = (index + 1) & mask) {
      if (slots_[index].first == key) return &slots_[index].second;
      if (slots_[index].first == 0) return nullptr;
    }
  }

  // Asks the processor to load the slot `key` would start probing at (a hint: the map is unchanged).
  void prefetch(std::uint64_t key) const {
    if (slots_.empty()) return;
    const auto* slot = reinterpret_cast<const char*>(&slots_[mixed(key) & (slots_.size() - 1)]);
    for (std::size_t offset = 0; offset < sizeof(Entry); offset += 64) {
#if defined(__x86_64__)
      asm volatile("prefetcht0 %0" : : "m"(*(slot + offset)));  // GCC 12 dropped __builtin_prefetch here
#else
      __builtin_prefetch(slot + offset);
#endif
    }
  }

  // The entries, by key. Sorted as (key, entry) pairs: comparing keys kept beside the pointers touches no slot (a
  // million slots are 100 MB, a cache miss per comparison).
  std::vector<const Entry*> sorted() const {
    std::vector<std::pair<std::uint64_t, const Entry*>> keyed;
    keyed.reserve(size_);
    for (const auto& slot : slots_) {
      if (slot.first != 0) keyed.emplace_back(slot.first, &slot);
    }
    std::sort(keyed.begin(), keyed.end(),
              [](const auto& left, const auto& right) { return left.first < right.first; });
    std::vector<const Entry*> entries;
    entries.reserve(keyed.size());
    for (const auto& [key, entry] : keyed) entries.push_back(entry);
    return entries;
  }

 private:
  static std::uint64_t mixed(std::uint64_t key) {  // MurmurHash3's finaliser: keys differ mostly in their low bits
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return key;
  }
  void grow() {
    std::vector<Entry> old(std::max<std::size_t>(1024, slots_.size() * 2));
    old.swap(slots_);
    size_ = 0;
    for (auto& slot : old) {
      if (slot.first != 0) (*this)[slot.first] = std::move(slot.second);
    }
  }

  std::vector<Entry> slots_;  // a power of two in size; key 0 marks an empty slot
  std::size_t size_ = 0;
};

struct ParsedDossiers;

// Counter changes gathered during an import, applied at its end. Keys are pack(unit id, received day).
struct CounterDelta {
  FlatMap<Counters> daily;
  FlatMap<std::vector<std::pair<DayNumber, std::int64_t>>> open;  // unfinished with a due date: (due day, dossiers)
  // Online submitters added and taken away, each followed by '\n' (the text of kpi_daily_submitters).
  FlatMap<std::string> submitters_added;
  FlatMap<std::string> submitters_removed;

  // Adds (sign 1) or takes away (sign -1) what `dossier`, filed by `submitter` (empty: unknown), counts.
  void add(const CountedDossier& dossier, std::int64_t sign, std::string_view submitter) {
    const std::uint64_t key = pack(dossier.unit_id, dossier.received_day);
    daily[key].add(contribution(dossier), sign);
    if (dossier.due_at && !dossier.finished_at) add_open(key, local_day(*dossier.due_at), sign);
    if (dossier.channel == 2 && !submitter.empty()) {
      (sign > 0 ? submitters_added : submitters_removed)[key].append(submitter).push_back('\n');
    }
  }
  // add(dossier, 1, its submitter) for each row of `batch`, loading the slots of the rows a few places ahead
  // meanwhile: with a million (unit, day) keys nearly every row's slot is a cache miss (4.4 of the parsing thread's
  // 14 s at 10,000,000 rows, one row at a time).
  void add_all(const ParsedDossiers& batch);
  // Adds every change of `other`.
  void add(const CounterDelta& other) {
    for (const auto* entry : other.daily.sorted()) daily[entry->first].add(entry->second);
    for (const auto* entry : other.open.sorted()) {
      for (const auto& [due_day, dossiers] : entry->second) add_open(entry->first, due_day, dossiers);
    }
    for (const auto* entry : other.submitters_added.sorted()) submitters_added[entry->first] += entry->second;
    for (const auto* entry : other.submitters_removed.sorted()) submitters_removed[entry->first] += entry->second;
  }

 private:
  void add_open(std::uint64_t key, DayNumber due_day, std::int64_t dossiers) {
    auto& dues = open[key];
    for (auto& [day, count] : dues) {
      if (day == due_day) {
        count += dossiers;
        return;
      }
    }
    dues.emplace_back(due_day, dossiers);
  }
};

std::optional<int> optional_int(const storage::Row& row, std::size_t index) {
  auto value = row.optional_integer(index);
  if (!value) return std::nullopt;
  return int(*value);
}

Value optional_integer_value(const std::optional<int>& value) {
  if (!value) return Value{};
  return Value{std::int64_t(*value)};
}

// Rows per multi-row statement. SQLite resolves numbered parameters in time quadratic in their number when it
// prepares a statement, so statements stay at about a thousand parameters.
constexpr std::size_t rows_per_statement = 64;

// `head` VALUES ($1…$width),(…) `tail` for `rows` rows.
std::string values_statement(std::string_view head, std::string_view tail, std::size_t width, std::size_t rows) {
  std::string sql(head);
  sql += " VALUES ";
  for (std::size_t index = 0; index < rows; ++index) {
    if (index) sql += ',';
    sql += '(' + storage::placeholders(index * width + 1, width) + ')';
  }
  return sql.append(" ").append(tail);
}

std::vector<std::string> column_names(std::string_view columns);

// Inserts `rows` rows into `table` (`columns`, `width` of them) with `conflict` ("ON CONFLICT … DO UPDATE …", naming
// `table` and excluded.*; empty when no row can conflict); `bind(row, parameters)` appends one row's values. Keys
// must not repeat. SQLite: multi-row
// VALUES statements of rows_per_statement rows (the full-size text built once). PostgreSQL: COPY into a temporary
// staging table, then one INSERT … SELECT with the same ON CONFLICT (a statement per 64 rows costs a round trip,
// a parse and a plan each: 30 s for the 180,000 counter rows of 200,000 dossiers).
Result<void> upsert_rows(Connection& connection, const std::string& table, std::string_view columns,
                         std::string_view conflict, std::size_t width, std::size_t rows,
                         const std::function<void(std::size_t, Parameters&)>& bind) {
  const std::string head = "INSERT INTO " + table + " (" + std::string(columns) + ")";
  if (connection.dialect() == storage::Dialect::postgresql) {
    if (rows == 0) return {};
    const std::string staging = table + "_staging";
    DVCHUB_TRY(connection.execute("CREATE TEMPORARY TABLE IF NOT EXISTS " + staging + " (LIKE " + table +
                                  ") ON COMMIT DROP"));
    DVCHUB_TRY(connection.execute("TRUNCATE " + staging));
    const auto names = column_names(columns);
    constexpr std::size_t rows_per_copy = 8192;
    Parameters chunk;
    chunk.reserve(rows_per_copy * width);
    for (std::size_t offset = 0; offset < rows; offset += rows_per_copy) {
      chunk.clear();
      for (std::size_t row = offset; row < std::min(rows, offset + rows_per_copy); ++row) bind(row, chunk);
      DVCHUB_TRY(connection.copy_rows(staging, names, chunk));
    }
    DVCHUB_TRY(connection.execute(head + " SELECT " + std::string(columns) + " FROM " + staging + " " +
                                  std::string(conflict)));
    return {};
  }
  const std::string full = values_statement(head, conflict, width, std::min(rows, rows_per_statement));
  Parameters batch;
  batch.reserve(std::min(rows, rows_per_statement) * width);
  for (std::size_t offset = 0; offset < rows; offset += rows_per_statement) {
    const std::size_t count = std::min(rows_per_statement, rows - offset);
    batch.clear();
    for (std::size_t row = offset; row < offset + count; ++row) bind(row, batch);
    DVCHUB_TRY(connection.execute(
        count == std::min(rows, rows_per_statement) ? full : values_statement(head, conflict, width, count), batch));
  }
  return {};
}

// The names of a column list written in code ("a, b, c").
std::vector<std::string> column_names(std::string_view columns) {
  std::vector<std::string> names;
  for (std::size_t start = 0; start < columns.size();) {
    auto end = columns.find(',', start);
    if (end == std::string_view::npos) end = columns.size();
    auto name = columns.substr(start, end - start);
    name.remove_prefix(std::min(name.find_first_not_of(' '), name.size()));
    names.emplace_back(name);
    start = end + 1;
  }
  return names;
}

// Adds `delta` to kpi_daily_counts; `table_is_empty`: plain inserts, no conflict to resolve (a third of the cost).
Result<void> apply_counters(Connection& connection, const FlatMap<Counters>& delta, bool table_is_empty) {
  std::string update;
  for (const auto& name : column_names(counter_columns)) {
    if (!update.empty()) update += ", ";
    update.append(name).append(" = kpi_daily_counts.").append(name).append(" + excluded.").append(name);
  }
  // In key order: rows added at the end of the B-tree rather than at random places.
  const auto entries = delta.sorted();
  return upsert_rows(connection, "kpi_daily_counts", std::string("unit_id, day, ") + counter_columns,
                     table_is_empty ? "" : "ON CONFLICT (unit_id, day) DO UPDATE SET " + update,
                     2 + Counters::field_count, entries.size(),
                     [&](std::size_t row, Parameters& values) {
                       const auto& [key, counters] = *entries[row];
                       values.emplace_back(std::int64_t(key >> 32));
                       values.emplace_back(std::int64_t(std::int32_t(std::uint32_t(key & 0xffffffffu))));
                       const std::int64_t* fields = &counters.received;
                       for (std::size_t field = 0; field < Counters::field_count; ++field) {
                         values.emplace_back(fields[field]);
                       }
                     });
}

// Adds `delta` (unfinished dossiers by unit, received day and due day) to kpi_open_counts; `table_is_empty` as
// apply_counters.
Result<void> apply_open(Connection& connection, const FlatMap<std::vector<std::pair<DayNumber, std::int64_t>>>& delta,
                        bool table_is_empty) {
  struct OpenRow {
    std::uint64_t key;
    DayNumber due_day;
    std::int64_t dossiers;
  };
  std::vector<OpenRow> rows;
  for (const auto* entry : delta.sorted()) {
    auto dues = entry->second;
    std::sort(dues.begin(), dues.end());
    for (const auto& [due_day, dossiers] : dues) {
      if (dossiers != 0) rows.push_back({entry->first, due_day, dossiers});
    }
  }
  return upsert_rows(connection, "kpi_open_counts", "unit_id, received_day, due_day, dossiers",
                     table_is_empty ? ""
                                    : "ON CONFLICT (unit_id, received_day, due_day) DO UPDATE SET dossiers = "
                                      "kpi_open_counts.dossiers + excluded.dossiers",
                     4, rows.size(), [&](std::size_t index, Parameters& values) {
                       const OpenRow& row = rows[index];
                       values.emplace_back(std::int64_t(row.key >> 32));
                       values.emplace_back(std::int64_t(std::int32_t(std::uint32_t(row.key & 0xffffffffu))));
                       values.emplace_back(row.due_day);
                       values.emplace_back(row.dossiers);
                     });
}

// `text` (kpi_daily_submitters' entries, each followed by '\n') without one entry equal to each entry of `removed`.
std::string without_entries(std::string_view text, std::string_view removed) {
  std::vector<std::string_view> entries;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    entries.push_back(text.substr(start, end - start + 1));
    start = end + 1;
  }
  for (std::size_t start = 0; start < removed.size();) {
    const std::size_t end = removed.find('\n', start);
    const auto entry = removed.substr(start, end - start + 1);
    if (auto found = std::find(entries.begin(), entries.end(), entry); found != entries.end()) entries.erase(found);
    start = end + 1;
  }
  std::string kept;
  for (auto entry : entries) kept += entry;
  return kept;
}

// Applies the submitter changes of `delta` to kpi_daily_submitters: per (unit, day), the stored entries plus the
// added ones, less one equal entry for each removed one; a row left without entries goes. The added texts are
// moved out of `delta`. `table_is_empty`: nothing to read, plain inserts.
Result<void> apply_submitters(Connection& connection, CounterDelta& delta, bool table_is_empty) {
  std::vector<std::uint64_t> keys;
  for (const auto* entry : delta.submitters_added.sorted()) keys.push_back(entry->first);
  for (const auto* entry : delta.submitters_removed.sorted()) keys.push_back(entry->first);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::unordered_map<std::uint64_t, std::string> stored;
  if (!table_is_empty) {
    // Per unit, its changed days (at most 500 a statement).
    constexpr std::size_t days_per_query = 500;
    for (std::size_t first = 0; first < keys.size();) {
      const std::int64_t unit_id = std::int64_t(keys[first] >> 32);
      Parameters parameters{unit_id};
      std::size_t next = first;
      while (next < keys.size() && std::int64_t(keys[next] >> 32) == unit_id && next - first < days_per_query) {
        parameters.emplace_back(std::int64_t(std::int32_t(std::uint32_t(keys[next] & 0xffffffffu))));
        ++next;
      }
      for (const auto& row : DVCHUB_TRY(connection.query(
               "SELECT day, submitters FROM kpi_daily_submitters WHERE unit_id = $1 AND day IN (" +
                   storage::placeholders(2, next - first) + ")",
               parameters))) {
        stored.emplace(pack(unit_id, row.integer(0)), row.text(1));
      }
      first = next;
    }
  }
  std::vector<std::pair<std::uint64_t, std::string>> rows;
  rows.reserve(keys.size());
  std::vector<std::uint64_t> emptied;
  for (const auto key : keys) {
    std::string text;
    const auto found = stored.find(key);
    if (found != stored.end()) text = std::move(found->second);
    if (auto* added = delta.submitters_added.find(key)) {
      if (text.empty()) text = std::move(*added);
      else text += *added;
    }
    if (const auto* removed = delta.submitters_removed.find(key)) text = without_entries(text, *removed);
    if (!text.empty()) rows.emplace_back(key, std::move(text));
    else if (found != stored.end()) emptied.push_back(key);
  }
  for (const auto key : emptied) {
    DVCHUB_TRY(connection.execute("DELETE FROM kpi_daily_submitters WHERE unit_id = $1 AND day = $2",
                                  {std::int64_t(key >> 32), std::int64_t(std::int32_t(std::uint32_t(key & 0xffffffffu)))}));
  }
  return upsert_rows(connection, "kpi_daily_submitters", "unit_id, day, submitters",
                     table_is_empty ? "" : "ON CONFLICT (unit_id, day) DO UPDATE SET submitters = excluded.submitters",
                     3, rows.size(), [&](std::size_t index, Parameters& values) {
                       auto& [key, text] = rows[index];
                       values.emplace_back(std::int64_t(key >> 32));
                       values.emplace_back(std::int64_t(std::int32_t(std::uint32_t(key & 0xffffffffu))));
                       values.emplace_back(std::move(text));
                     });
}

constexpr const char* dossier_columns =
    "dossier_code, unit_id, procedure_code, full_online_procedure, channel, received_day, received_at, due_at, "
    "finished_at, returned_at, status, supplements, payment, has_fees, digitized, electronic_result, vneid, submitter";
constexpr std::size_t dossier_column_count = 18;

// dossier_columns as a list.
const std::vector<std::string>& dossier_column_names() {
  static const std::vector<std::string> names = column_names(dossier_columns);
  return names;
}

// The ON CONFLICT clause that replaces a stored dossier by its new snapshot.
std::string dossier_replace_clause() {
  std::string clause = "ON CONFLICT (dossier_code) DO UPDATE SET ";
  bool first = true;
  for (const auto& name : dossier_column_names()) {
    if (name == "dossier_code") continue;
    if (!first) clause += ", ";
    clause.append(name).append(" = excluded.").append(name);
    first = false;
  }
  return clause;
}

// Dossiers parsed but not yet stored: dossier_column_count values per row (dossier_columns order), what the
// counters need of each, and the hash of each MaHoSo (computed by the parsing thread, not the storing one).
struct ParsedDossiers {
  Parameters values;
  std::vector<CountedDossier> counted;
  std::vector<std::uint64_t> code_hashes;

  void reserve(std::size_t rows) {
    values.reserve(rows * dossier_column_count);
    counted.reserve(rows);
    code_hashes.reserve(rows);
  }

  void append(const DossierRecord& record, const CountedDossier& dossier) {
    code_hashes.push_back(std::hash<std::string_view>{}(record.dossier_code));
    values.emplace_back(std::string(record.dossier_code));
    values.emplace_back(dossier.unit_id);
    values.emplace_back(std::string(record.procedure_code));
    values.emplace_back(std::int64_t(dossier.full_online_procedure));
    values.push_back(optional_integer_value(record.channel));
    values.emplace_back(dossier.received_day);
    values.emplace_back(record.received_at);
    values.push_back(storage::optional_value(record.due_at));
    values.push_back(storage::optional_value(record.finished_at));
    values.push_back(storage::optional_value(record.returned_at));
    values.push_back(optional_integer_value(record.status));
    values.push_back(optional_integer_value(record.supplements));
    values.push_back(optional_integer_value(record.payment));
    values.push_back(optional_integer_value(record.has_fees));
    values.push_back(optional_integer_value(record.digitized));
    values.push_back(optional_integer_value(record.electronic_result));
    values.push_back(optional_integer_value(record.vneid));
    if (record.submitter) values.emplace_back(std::string(*record.submitter));
    else values.emplace_back();
    counted.push_back(dossier);
  }
};
static_assert(dossier_column_count == 18, "MaNguoiNop is the last of dossier_columns");
constexpr std::size_t submitter_column = dossier_column_count - 1;

void CounterDelta::add_all(const ParsedDossiers& batch) {
  constexpr std::size_t ahead = 32;
  const auto& dossiers = batch.counted;
  for (std::size_t index = 0; index < dossiers.size(); ++index) {
    if (index + ahead < dossiers.size()) {
      const auto& later = dossiers[index + ahead];
      const std::uint64_t key = pack(later.unit_id, later.received_day);
      daily.prefetch(key);
      if (later.channel == 2) submitters_added.prefetch(key);
    }
    const auto* submitter = std::get_if<std::string>(&batch.values[index * dossier_column_count + submitter_column]);
    add(dossiers[index], 1, submitter ? std::string_view(*submitter) : std::string_view());
  }
}

// Hands batches of parsed dossiers from the thread that reads the file to the one that stores them. At most
// `capacity` batches wait, so memory stays bounded whatever the file size.
class BatchQueue {
 public:
  explicit BatchQueue(std::size_t capacity) : capacity_(capacity) {}

  // Producer: waits for room, then queues `batch`. False when the consumer has stopped taking batches.
  bool push(ParsedDossiers batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || batches_.size() < capacity_; });
    if (stopped_) return false;
    batches_.push_back(std::move(batch));
    changed_.notify_all();
    return true;
  }
  // Producer: no more batches will come.
  void finish() {
    std::lock_guard lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }
  // Consumer: waits for the next batch; nullopt once the producer has finished and every batch was taken.
  std::optional<ParsedDossiers> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return finished_ || !batches_.empty(); });
    if (batches_.empty()) return std::nullopt;
    ParsedDossiers batch = std::move(batches_.front());
    batches_.pop_front();
    changed_.notify_all();
    return batch;
  }
  // Consumer: takes no more batches (the import failed); a waiting producer is released.
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    batches_.clear();
    changed_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<ParsedDossiers> batches_;
  bool finished_ = false;
  bool stopped_ = false;
};

// A set of 64-bit hashes, open addressing, at most three quarters full: 8 to 16 bytes per element where
// std::unordered_set takes about 40 (10,000,000 MaHoSo: ~200 MB instead of ~400 MB).
class HashSet {
 public:
  // Adds `hash`; false when it was there already.
  bool insert(std::uint64_t hash) {
    if (hash == 0) hash = 1;  // 0 marks an empty slot
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t index = hash & mask;; index = (index + 1) & mask) {
      if (slots_[index] == hash) return false;
      if (slots_[index] == 0) {
        slots_[index] = hash;
        ++size_;
        return true;
      }
    }
  }

 private:
  void grow() {
    std::vector<std::uint64_t> old(std::max<std::size_t>(1024, slots_.size() * 2));
    old.swap(slots_);
    size_ = 0;
    for (auto hash : old) {
      if (hash != 0) insert(hash);
    }
  }

  std::vector<std::uint64_t> slots_;  // a power of two in size
  std::size_t size_ = 0;
};

// Stores dossiers and takes away the counts of the stored copies it replaces (what the new rows add is gathered by
// the thread that parses them). SQLite: each row is bound as it arrives into a multi-row statement of
// rows_per_statement rows (a plain INSERT into an empty store, see flush_into_empty_store; else an upsert). PostgreSQL: rows are streamed with COPY … FROM STDIN into a temporary staging table,
// copy_rows_per_batch at a time, and moved with one INSERT … SELECT … ON CONFLICT per batch. Either way only the
// bound values outlive the row's text, and everything happens in the caller's transaction.
class DossierWriter {
 public:
  DossierWriter(Connection& connection, bool store_was_empty)
      : connection_(connection), store_was_empty_(store_was_empty),
        copying_(connection.dialect() == storage::Dialect::postgresql),
        optimistic_(store_was_empty && !copying_),
        rows_per_flush_(copying_ ? copy_rows_per_batch : rows_per_statement) {
    parameters_.reserve(rows_per_flush_ * dossier_column_count);
    counted_.reserve(rows_per_flush_);
  }

  // Creates the staging table of the COPY path (dropped at commit, gone with a rollback).
  Result<void> start() {
    if (!copying_) return {};
    return connection_.execute(std::string("CREATE TEMPORARY TABLE ") + staging_table +
                               " (LIKE kpi_dossiers INCLUDING DEFAULTS) ON COMMIT DROP")
        .map([](std::int64_t) {});
  }

  // Stores every row of `batch`. SQLite into an empty store: whole statements are bound straight from the batch's
  // values (no copy of 18 values a row into the queue); otherwise, and for the rows around them, add() row by row.
  Result<void> add_batch(ParsedDossiers& batch, DossierImportReport& report) {
    const std::size_t rows = batch.counted.size();
    std::size_t row = 0;
    while (row < rows && !counted_.empty()) DVCHUB_TRY(add(batch, row++, report));  // completes a started statement
    while (optimistic_ && row + rows_per_statement <= rows) {
      const std::span<const Value> values(batch.values.data() + row * dossier_column_count,
                                          rows_per_statement * dossier_column_count);
      auto inserted = connection_.execute(full_insert_sql_, values);
      if (inserted) {
        report.created += rows_per_statement;
        row += rows_per_statement;
        continue;
      }
      if (inserted.error().code != ErrorCode::conflict) return tl::unexpected(inserted.error());
      break;  // a MaHoSo repeats: these rows go through add(), which replays them one by one
    }
    for (; row < rows; ++row) DVCHUB_TRY(add(batch, row, report));
    return {};
  }

  // Queues row `row` of `batch` (its values are moved out); a MaHoSo already stored (or queued) is replaced.
  Result<void> add(ParsedDossiers& batch, std::size_t row, DossierImportReport& report) {
    const auto first = batch.values.begin() + std::ptrdiff_t(row * dossier_column_count);
    const bool maybe_seen = !optimistic_ && !seen_.insert(batch.code_hashes[row]);
    if (maybe_seen) DVCHUB_TRY(flush(report));  // the earlier copy must be stored before it can be replaced
    if (!store_was_empty_ || maybe_seen) check_existing_.push_back(counted_.size());
    parameters_.insert(parameters_.end(), std::make_move_iterator(first),
                       std::make_move_iterator(first + std::ptrdiff_t(dossier_column_count)));
    counted_.push_back(batch.counted[row]);
    if (counted_.size() >= rows_per_flush_ || maybe_seen) DVCHUB_TRY(flush(report));
    return {};
  }

  // Stores what is queued.
  Result<void> flush(DossierImportReport& report) {
    if (counted_.empty()) return {};
    if (optimistic_) return flush_into_empty_store(report);
    std::unordered_set<std::string> replaced;
    if (copying_) DVCHUB_TRY(connection_.copy_rows(staging_table, dossier_column_names(), parameters_));
    if (!check_existing_.empty()) {
      // The stored copies of the queued MaHoSo that may be stored: their counts are taken away.
      std::vector<storage::Row> rows;
      if (copying_) {
        rows = DVCHUB_TRY(connection_.query(std::string("SELECT ") + old_columns + " FROM kpi_dossiers d JOIN " +
                                            staging_table + " s ON s.dossier_code = d.dossier_code"));
      } else {
        Parameters codes;
        for (auto index : check_existing_) codes.push_back(parameters_[index * dossier_column_count]);
        rows = DVCHUB_TRY(connection_.query(std::string("SELECT ") + old_columns + " FROM kpi_dossiers d " +
                                            "WHERE d.dossier_code IN (" + storage::placeholders(1, codes.size()) + ")",
                                            codes));
      }
      for (const auto& row : rows) {
        CountedDossier old;
        old.unit_id = row.integer(1);
        old.full_online_procedure = row.integer(2) == 1;
        old.channel = optional_int(row, 3);
        old.received_day = row.integer(4);
        old.due_at = row.optional_integer(5);
        old.finished_at = row.optional_integer(6);
        old.supplements = optional_int(row, 7);
        old.payment = optional_int(row, 8);
        old.has_fees = optional_int(row, 9);
        old.digitized = optional_int(row, 10);
        old.electronic_result = optional_int(row, 11);
        old.vneid = optional_int(row, 12);
        taken_away_.add(old, -1, row.is_null(13) ? std::string_view() : std::get<std::string>(row.value(13)));
        replaced.insert(row.text(0));
      }
    }
    for (std::size_t index = 0; index < counted_.size(); ++index) {
      const bool was_stored =
          !replaced.empty() && replaced.count(std::get<std::string>(parameters_[index * dossier_column_count]));
      ++(was_stored ? report.replaced : report.created);
    }
    if (copying_) {
      DVCHUB_TRY(connection_.execute(insert_head_ + " SELECT " + dossier_columns + " FROM " + staging_table + " " +
                                     replace_clause_));
      DVCHUB_TRY(connection_.execute(std::string("TRUNCATE ") + staging_table));
    } else {
      DVCHUB_TRY(connection_.execute(counted_.size() == rows_per_statement
                                         ? full_upsert_sql_
                                         : values_statement(insert_head_, replace_clause_, dossier_column_count,
                                                            counted_.size()),
                                     parameters_));
    }
    clear_queue();
    return {};
  }

  // SQLite, into a store that had no dossier: the queued rows are new unless the file repeats a MaHoSo, so they go in
  // one plain INSERT (half the work of an upsert), and the key's uniqueness is what finds a repeat — no set of every
  // MaHoSo of the file (at 10,000,000 rows, a cache miss per row and 128 MiB). A repeat fails the statement, which
  // then stored nothing: its rows are stored one by one, each replacing the stored copy and taking its counts away.
  Result<void> flush_into_empty_store(DossierImportReport& report) {
    const std::size_t count = counted_.size();
    auto inserted = connection_.execute(
        count == rows_per_statement ? full_insert_sql_ : values_statement(insert_head_, "", dossier_column_count, count),
        parameters_);
    if (inserted) {
      report.created += count;
      clear_queue();
      return {};
    }
    if (inserted.error().code != ErrorCode::conflict) return tl::unexpected(inserted.error());
    Parameters queued = std::move(parameters_);
    std::vector<CountedDossier> counted = std::move(counted_);
    clear_queue();
    optimistic_ = false;
    for (std::size_t index = 0; index < count; ++index) {
      const auto first = queued.begin() + std::ptrdiff_t(index * dossier_column_count);
      parameters_.assign(std::make_move_iterator(first),
                         std::make_move_iterator(first + std::ptrdiff_t(dossier_column_count)));
      counted_.push_back(counted[index]);
      check_existing_.push_back(0);
      DVCHUB_TRY(flush(report));
    }
    optimistic_ = true;
    return {};
  }

  void clear_queue() {
    parameters_.clear();
    counted_.clear();
    check_existing_.clear();
  }

  // Stores what is queued and applies the counter changes: `added`, what every stored row adds (gathered by the
  // thread that parsed them), and what this writer took away for the stored copies it replaced.
  Result<void> finish(DossierImportReport& report, CounterDelta& added) {
    DVCHUB_TRY(flush(report));
    added.add(taken_away_);
    // Counters of an empty store are normally empty too (they only count stored dossiers); checked, not assumed.
    bool counters_empty = false;
    if (store_was_empty_) {
      auto daily = DVCHUB_TRY(connection_.query_one("SELECT 1 FROM kpi_daily_counts LIMIT 1"));
      auto open = DVCHUB_TRY(connection_.query_one("SELECT 1 FROM kpi_open_counts LIMIT 1"));
      auto submitters = DVCHUB_TRY(connection_.query_one("SELECT 1 FROM kpi_daily_submitters LIMIT 1"));
      counters_empty = !daily && !open && !submitters;
    }
    DVCHUB_TRY(apply_counters(connection_, added.daily, counters_empty));
    DVCHUB_TRY(apply_open(connection_, added.open, counters_empty));
    DVCHUB_TRY(apply_submitters(connection_, added, counters_empty));
    return {};
  }

 private:
  // Rows per COPY: large enough that one round trip carries megabytes, small enough to bound memory.
  static constexpr std::size_t copy_rows_per_batch = 8192;
  static constexpr const char* staging_table = "kpi_dossier_staging";
  // What the counters need of a stored dossier (d), with its code first.
  static constexpr const char* old_columns =
      "d.dossier_code, d.unit_id, d.full_online_procedure, d.channel, d.received_day, d.due_at, d.finished_at, "
      "d.supplements, d.payment, d.has_fees, d.digitized, d.electronic_result, d.vneid, d.submitter";

  Connection& connection_;
  bool store_was_empty_;
  bool copying_;  // PostgreSQL: COPY into the staging table
  bool optimistic_;  // SQLite into an empty store: see flush_into_empty_store
  std::size_t rows_per_flush_;
  HashSet seen_;  // hashes of the MaHoSo of this import (not kept when optimistic_)
  Parameters parameters_;                 // the queued rows' values, dossier_column_count per row
  std::vector<CountedDossier> counted_;   // the queued rows' counter inputs
  std::vector<std::size_t> check_existing_;  // queued rows whose MaHoSo may be stored already
  const std::string insert_head_ = std::string("INSERT INTO kpi_dossiers (") + dossier_columns + ")";
  const std::string replace_clause_ = dossier_replace_clause();
  const std::string full_upsert_sql_ =
      values_statement(insert_head_, replace_clause_, dossier_column_count, rows_per_statement);
  const std::string full_insert_sql_ = values_statement(insert_head_, "", dossier_column_count, rows_per_statement);
  CounterDelta taken_away_;  // the replaced stored copies' contributions, negated
};

void note_rejection(std::size_t& count, std::vector<RowRejection>& kept, RowRejection rejection) {
  ++count;
  if (kept.size() < rejection_report_limit) kept.push_back(std::move(rejection));
}

// Numbers distinct texts 0, 1, 2… in the order they are first met: their bytes in one append-only buffer and an
// open-addressing table of (hash, offset, length, number), at most half full — no allocation per text and no node
// to follow, where std::unordered_set<std::string> allocates and chases one per text. Used for the codes looked up
// once or twice per imported row (CodeTable) and for distinct submitters across units (4 million for a province at
// 10M dossiers).
class TextIndex {
 public:
  // The number of `text`, given the next free one when it is new.
  std::size_t insert(std::string_view text) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    const std::uint64_t hash = hash_of(text);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t index = hash & mask;; index = (index + 1) & mask) {
      Slot& slot = slots_[index];
      if (slot.hash == 0) {
        slot = {hash, bytes_.size(), std::uint32_t(text.size()), std::uint32_t(count_)};
        bytes_.append(text);
        return count_++;
      }
      if (slot.hash == hash && text_of(slot) == text) return slot.number;
    }
  }
  // The number of `text`, or nullopt when it was never inserted.
  std::optional<std::size_t> find(std::string_view text) const {
    if (slots_.empty()) return std::nullopt;
    const std::uint64_t hash = hash_of(text);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t index = hash & mask;; index = (index + 1) & mask) {
      const Slot& slot = slots_[index];
      if (slot.hash == 0) return std::nullopt;
      if (slot.hash == hash && text_of(slot) == text) return slot.number;
    }
  }
  // How many distinct texts were inserted.
  std::size_t size() const { return count_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;  // 0: empty
    std::size_t offset = 0;
    std::uint32_t length = 0;
    std::uint32_t number = 0;
  };
  static std::uint64_t hash_of(std::string_view text) {
    const std::uint64_t hash = std::hash<std::string_view>{}(text);
    return hash == 0 ? 1 : hash;
  }
  std::string_view text_of(const Slot& slot) const { return std::string_view(bytes_).substr(slot.offset, slot.length); }
  void grow() {
    std::vector<Slot> old(std::max<std::size_t>(64, slots_.size() * 2));
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.hash == 0) continue;
      std::size_t index = slot.hash & mask;
      while (slots_[index].hash != 0) index = (index + 1) & mask;
      slots_[index] = slot;
    }
  }

  std::vector<Slot> slots_;  // a power of two in size
  std::string bytes_;
  std::size_t count_ = 0;
};

// A value per code (units, procedures), looked up by the parsed field itself.
template <typename Value>
class CodeTable {
 public:
  // Adds `code` with `value`, or gives an existing code `value`.
  void insert(std::string_view code, Value value) {
    const std::size_t number = codes_.insert(code);
    if (number == values_.size()) values_.push_back(std::move(value));
    else values_[number] = std::move(value);
  }
  // The value of `code`, or nullptr when it has none.
  const Value* find(std::string_view code) const {
    const auto number = codes_.find(code);
    return number ? &values_[*number] : nullptr;
  }

 private:
  TextIndex codes_;
  std::vector<Value> values_;
};

Result<CodeTable<std::int64_t>> unit_ids_by_code(Connection& connection) {
  CodeTable<std::int64_t> ids;
  for (const auto& row : DVCHUB_TRY(connection.query("SELECT code, id FROM units"))) {
    ids.insert(row.text(0), row.integer(1));
  }
  return ids;
}

// The units as of one day: each unit's name, kind and parent that day, and which units carry on ended ones.
class UnitForest {
 public:
  struct Node {
    UnitSummary summary;
    std::optional<std::int64_t> parent_id;
    bool valid = false;
  };

  static Result<UnitForest> load(Connection& connection, DayNumber day) {
    UnitForest forest;
    const std::string iso = iso_from_day(day);
    auto rows = DVCHUB_TRY(connection.query(
        "SELECT u.id, u.code, u.kind, v.name, v.parent_id, "
        "CASE WHEN u.valid_from <= $1 AND (u.valid_to IS NULL OR u.valid_to > $1) THEN 1 ELSE 0 END "
        "FROM units u LEFT JOIN unit_versions v ON v.unit_id = u.id AND v.valid_from <= $1 "
        "AND (v.valid_to IS NULL OR v.valid_to > $1)",
        {iso}));
    for (const auto& row : rows) {
      Node node;
      node.summary = {row.text(1), row.text(3), row.text(2)};
      node.parent_id = row.optional_integer(4);
      node.valid = row.integer(5) == 1;
      forest.by_code_.emplace(node.summary.code, row.integer(0));
      forest.nodes_.emplace(row.integer(0), std::move(node));
    }
    auto successions = DVCHUB_TRY(connection.query(
        "SELECT predecessor_id, successor_id FROM unit_successions WHERE effective_date <= $1", {iso}));
    for (const auto& row : successions) forest.successors_[row.integer(0)].push_back(row.integer(1));
    for (const auto& [id, node] : forest.nodes_) {
      forest.containing_.emplace(id, forest.walk_containing(id));
      if (node.valid) forest.of_kind_[node.summary.kind].push_back(id);
    }
    for (const auto& [kind, ids] : forest.of_kind_) {
      std::unordered_map<std::int64_t, std::size_t> slot_of;  // unit id of the kind → its index in of_kind(kind)
      for (std::size_t index = 0; index < ids.size(); ++index) slot_of.emplace(ids[index], index);
      auto& slots = forest.slots_by_kind_[kind];
      for (const auto& [id, containing_units] : forest.containing_) {
        for (auto containing_id : containing_units) {
          if (auto found = slot_of.find(containing_id); found != slot_of.end()) slots[id].push_back(found->second);
        }
      }
    }
    return forest;
  }

  std::optional<std::int64_t> find(const std::string& code) const {
    auto found = by_code_.find(code);
    if (found == by_code_.end()) return std::nullopt;
    return found->second;
  }
  const Node* node(std::int64_t id) const {
    auto found = nodes_.find(id);
    return found == nodes_.end() ? nullptr : &found->second;
  }
  UnitSummary summary(std::int64_t id) const { return nodes_.at(id).summary; }

  // The units valid on the day that a dossier of `unit_id` counts under: the units that carry it on (itself when
  // valid, else its successors, transitively) and all their ancestors. Empty for an unknown id.
  const std::vector<std::int64_t>& containing(std::int64_t unit_id) const {
    static const std::vector<std::int64_t> none;
    auto found = containing_.find(unit_id);
    return found == containing_.end() ? none : found->second;
  }

  // Every unit id whose dossiers count under `unit_id`.
  std::vector<std::int64_t> members(std::int64_t unit_id) const {
    std::vector<std::int64_t> result;
    for (const auto& [id, containing_units] : containing_) {
      if (std::find(containing_units.begin(), containing_units.end(), unit_id) != containing_units.end()) {
        result.push_back(id);
      }
    }
    return result;
  }

  // Ids of the units valid on the day whose parent is `unit_id`, by code.
  std::vector<std::int64_t> children(std::int64_t unit_id) const {
    std::vector<std::int64_t> result;
    for (const auto& [id, node] : nodes_) {
      if (node.valid && node.parent_id == unit_id) result.push_back(id);
    }
    std::sort(result.begin(), result.end(),
              [&](std::int64_t left, std::int64_t right) { return node(left)->summary.code < node(right)->summary.code; });
    return result;
  }

  // Ids of the units of `kind` valid on the day.
  const std::vector<std::int64_t>& of_kind(const std::string& kind) const {
    static const std::vector<std::int64_t> none;
    auto found = of_kind_.find(kind);
    return found == of_kind_.end() ? none : found->second;
  }

  // For each unit id whose dossiers count under a unit of `kind`: the indexes in of_kind(kind) of those units (what
  // a ranking adds each unit's counters to, computed once per forest rather than per request).
  using Slots = std::unordered_map<std::int64_t, std::vector<std::size_t>>;
  const Slots& slots_of_kind(const std::string& kind) const {
    static const Slots none;
    auto found = slots_by_kind_.find(kind);
    return found == slots_by_kind_.end() ? none : found->second;
  }

 private:
  std::vector<std::int64_t> walk_containing(std::int64_t unit_id) const {
    std::vector<std::int64_t> result;
    std::set<std::int64_t> visited;
    std::vector<std::int64_t> pending{unit_id};
    while (!pending.empty()) {
      auto id = pending.back();
      pending.pop_back();
      if (!visited.insert(id).second) continue;
      const Node* current = node(id);
      if (!current) continue;
      if (current->valid) {
        for (std::optional<std::int64_t> walk = id; walk && result.size() < 10000;) {
          if (std::find(result.begin(), result.end(), *walk) != result.end()) break;
          result.push_back(*walk);
          const Node* step = node(*walk);
          walk = step ? step->parent_id : std::nullopt;
        }
      } else if (auto next = successors_.find(id); next != successors_.end()) {
        for (auto successor : next->second) pending.push_back(successor);
      }
    }
    return result;
  }

  std::unordered_map<std::int64_t, Node> nodes_;
  std::unordered_map<std::string, std::int64_t> by_code_;
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> successors_;
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> containing_;
  std::unordered_map<std::string, std::vector<std::int64_t>> of_kind_;  // the valid units by kind
  std::unordered_map<std::string, Slots> slots_by_kind_;
};

// Counter totals of one unit id over a period.
struct Totals {
  Counters counters;
  std::int64_t open_on_time = 0;  // unfinished with NgayHenTra at or after the end of the period

  void add(const Totals& other) {
    counters.add(other.counters);
    open_on_time += other.open_on_time;
  }
};

// Reads `sql` page by page in key order: `sql` selects rows after the key bound as $1..$n (row-value comparison),
// ordered by that key, LIMIT page_rows, with `fixed` bound after the key ($n+1…); each page's last row (its first
// n columns) is the key for the next page. Memory stays at one page whatever the table's size.
Result<void> read_pages(Connection& connection, const std::string& sql, Parameters key,
                        const std::function<void(const storage::Row&)>& visit, const Parameters& fixed = {}) {
  constexpr std::size_t page_rows = 50000;
  const std::size_t key_size = key.size();
  key.insert(key.end(), fixed.begin(), fixed.end());
  while (true) {
    auto rows = DVCHUB_TRY(connection.query(sql + " LIMIT " + std::to_string(page_rows), key));
    for (const auto& row : rows) visit(row);
    if (rows.size() < page_rows) return {};
    for (std::size_t index = 0; index < key_size; ++index) key[index] = rows.back().value(index);
  }
}

// The counters of every unit in memory, as of one kpi_revision: per unit id, the days that received dossiers in
// order with running totals, so the totals of any period are two binary searches; and the unfinished dossiers with
// a due day, by received day. About 100 bytes per (unit, day) with dossiers.
class CounterSnapshot {
 public:
  static Result<std::shared_ptr<const CounterSnapshot>> load(Connection& connection, std::int64_t revision) {
    auto snapshot = std::make_shared<CounterSnapshot>();
    snapshot->revision_ = revision;
    DVCHUB_TRY(read_pages(
        connection,
        "SELECT unit_id, day, " + std::string(counter_columns) +
            " FROM kpi_daily_counts WHERE (unit_id, day) > ($1, $2) ORDER BY unit_id, day",
        {std::int64_t{-1}, std::int64_t{std::numeric_limits<std::int32_t>::min()}}, [&](const storage::Row& row) {
          auto& unit = snapshot->units_[row.integer(0)];
          Counters running = unit.running.empty() ? Counters{} : unit.running.back();
          for (std::size_t field = 0; field < Counters::field_count; ++field) {
            running.fields()[field] += row.integer(field + 2);
          }
          unit.days.push_back(row.integer(1));
          unit.running.push_back(running);
        }));
    DVCHUB_TRY(read_pages(
        connection,
        "SELECT unit_id, received_day, due_day, dossiers FROM kpi_open_counts "
        "WHERE (unit_id, received_day, due_day) > ($1, $2, $3) ORDER BY unit_id, received_day, due_day",
        {std::int64_t{-1}, std::int64_t{0}, std::int64_t{0}}, [&](const storage::Row& row) {
          if (row.integer(3) != 0) {
            snapshot->units_[row.integer(0)].open.push_back({row.integer(1), row.integer(2), row.integer(3)});
          }
        }));
    return std::shared_ptr<const CounterSnapshot>(std::move(snapshot));
  }

  std::int64_t revision() const { return revision_; }

  // The totals of `unit_id`'s own dossiers received on days from..to (zero when it has none).
  Totals totals(std::int64_t unit_id, DayNumber from, DayNumber to) const {
    auto found = units_.find(unit_id);
    return found == units_.end() ? Totals{} : totals_of(found->second, from, to);
  }

  // Calls `visit(unit id, totals)` for every unit that has counters, where `totals()` computes that unit's totals
  // over from..to (only when called: a ranking skips the units it does not rank).
  template <typename Visit>
  void for_each_unit(DayNumber from, DayNumber to, const Visit& visit) const {
    for (const auto& [unit_id, unit] : units_) visit(unit_id, [&, &unit = unit] { return totals_of(unit, from, to); });
  }

 private:
  struct OpenDossiers {
    DayNumber received_day = 0;
    DayNumber due_day = 0;
    std::int64_t dossiers = 0;
  };
  struct UnitCounters {
    std::vector<DayNumber> days;
    std::vector<Counters> running;     // running[i]: the sum over days[0..i]
    std::vector<OpenDossiers> open;    // by received day
  };

  static Totals totals_of(const UnitCounters& unit, DayNumber from, DayNumber to) {
    Totals totals;
    if (unit.days.empty()) return totals;
    // A period that covers every day of the unit (a ranking over a year) needs no search: each search touches a
    // dozen cache lines, for thousands of units.
    const auto first = from <= unit.days.front()
                           ? std::size_t{0}
                           : std::size_t(std::lower_bound(unit.days.begin(), unit.days.end(), from) - unit.days.begin());
    const auto last = to >= unit.days.back()
                          ? unit.days.size()
                          : std::size_t(std::upper_bound(unit.days.begin(), unit.days.end(), to) - unit.days.begin());
    if (first < last) {
      totals.counters = unit.running[last - 1];
      if (first > 0) totals.counters.add(unit.running[first - 1], -1);
    }
    auto open = std::lower_bound(unit.open.begin(), unit.open.end(), from,
                                 [](const OpenDossiers& entry, DayNumber day) { return entry.received_day < day; });
    for (; open != unit.open.end() && open->received_day <= to; ++open) {
      if (open->due_day > to) totals.open_on_time += open->dossiers;
    }
    return totals;
  }

  std::int64_t revision_ = 0;
  std::unordered_map<std::int64_t, UnitCounters> units_;
};

std::string unit_filter(const std::vector<std::int64_t>* units, Parameters& parameters) {
  if (!units) return {};
  if (units->empty()) return " AND 1 = 0";
  return " AND unit_id IN (" + storage::append_parameters(parameters, *units) + ')';
}

// Calls `visit(unit id, submitter)` for every online dossier's submitter received in the period (only by `units`
// when given), from kpi_daily_submitters, unit by unit in order of unit id: a submitter repeats once per such
// dossier.
Result<void> for_each_online_submitter(Connection& connection, DayNumber from, DayNumber to,
                                       const std::vector<std::int64_t>* units,
                                       const std::function<void(std::int64_t, std::string_view)>& visit) {
  auto visit_row = [&](const storage::Row& row) {
    const std::int64_t unit_id = row.integer(0);
    const std::string_view text = std::get<std::string>(row.value(2));
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = text.find('\n', start);
      visit(unit_id, text.substr(start, end - start));
      start = end + 1;
    }
  };
  if (!units) {  // every unit: a million rows a year at 10M dossiers, read in pages in key order
    return read_pages(connection,
                      "SELECT unit_id, day, submitters FROM kpi_daily_submitters WHERE (unit_id, day) > ($1, $2) "
                      "AND day BETWEEN $3 AND $4 ORDER BY unit_id, day",
                      {std::int64_t{-1}, std::int64_t{std::numeric_limits<std::int32_t>::min()}}, visit_row,
                      {from, to});
  }
  // The units 256 at a time (a province's 3,000 communes: a million rows a year), in order of unit id.
  std::vector<std::int64_t> ordered(units->begin(), units->end());
  std::sort(ordered.begin(), ordered.end());
  constexpr std::size_t units_per_query = 256;
  for (std::size_t first = 0; first < ordered.size(); first += units_per_query) {
    const std::vector<std::int64_t> chunk(ordered.begin() + std::ptrdiff_t(first),
                                          ordered.begin() + std::ptrdiff_t(std::min(ordered.size(), first + units_per_query)));
    Parameters parameters{from, to};
    const std::string filter = unit_filter(&chunk, parameters);
    for (const auto& row : DVCHUB_TRY(connection.query(
             "SELECT unit_id, day, submitters FROM kpi_daily_submitters WHERE day BETWEEN $1 AND $2" + filter +
                 " ORDER BY unit_id, day",
             parameters))) {
      visit_row(row);
    }
  }
  return {};
}

int year_of_day(DayNumber day) {
  return int(std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{day}}}.year());
}

// The adult population of `year`: adults by unit id (the rows of kpi_population).
Result<std::unordered_map<std::int64_t, std::int64_t>> population_of(Connection& connection, int year) {
  std::unordered_map<std::int64_t, std::int64_t> adults;
  for (const auto& row : DVCHUB_TRY(connection.query("SELECT unit_id, adults FROM kpi_population WHERE year = $1",
                                                     {std::int64_t(year)}))) {
    adults.emplace(row.integer(0), row.integer(1));
  }
  return adults;
}

// The adults of `unit_id` from `population` (population_of): its own row, else the sum over the units under it on
// the day.
std::optional<std::int64_t> adults_of(const std::unordered_map<std::int64_t, std::int64_t>& population,
                                      const UnitForest& forest, std::int64_t unit_id) {
  if (auto own = population.find(unit_id); own != population.end()) return own->second;
  std::optional<std::int64_t> sum;
  for (const auto& [row_unit, adults] : population) {
    const auto* node = forest.node(row_unit);
    if (!node || !node->valid) continue;
    auto containing = forest.containing(row_unit);
    if (std::find(containing.begin(), containing.end(), unit_id) != containing.end()) sum = sum.value_or(0) + adults;
  }
  return sum;
}

Result<std::pair<std::int64_t, std::int64_t>> catalogue_full_online(Connection& connection) {
  auto row = DVCHUB_TRY(connection.query_one(
      "SELECT COALESCE(SUM(CASE WHEN online_level = 2 THEN 1 ELSE 0 END), 0), COUNT(*) FROM procedures "
      "WHERE full_online_eligible = 1"));
  return std::pair{row->integer(0), row->integer(1)};
}

// Everything an indicator may need for one unit and period.
struct Inputs {
  Totals totals;
  std::int64_t online_submitters = 0;
  std::optional<std::int64_t> adults;
  std::pair<std::int64_t, std::int64_t> catalogue{0, 0};
  FeedbackFigures feedback;
};

bool needs_submitters(const std::string& key) { return key == "adult_usage_rate"; }
bool needs_catalogue(const std::string& key) { return key == "procedures_full_online_rate"; }
bool needs_feedback(const std::string& key) {
  return key == "feedback_on_time_rate" || key == "feedback_satisfaction_rate" || key == "satisfaction_rate" ||
         key == "land_construction_investment_satisfaction_rate";
}

// The numerator and denominator of one indicator from a unit's inputs.
using RatioOf = std::pair<std::int64_t, std::int64_t> (*)(const Inputs&);

// The RatioOf of indicator `key` (one of indicator_keys(); looked up once, not per unit of a ranking).
RatioOf ratio_of(const std::string& key) {
  using Ratio = std::pair<std::int64_t, std::int64_t>;
  static const std::unordered_map<std::string, RatioOf> ratios{
      {"online_rate", [](const Inputs& in) { return Ratio{in.totals.counters.online, in.totals.counters.received}; }},
      {"full_online_rate",
       [](const Inputs& in) { return Ratio{in.totals.counters.full_online, in.totals.counters.received}; }},
      {"procedures_full_online_rate", [](const Inputs& in) { return in.catalogue; }},
      {"on_time_rate",
       [](const Inputs& in) {
         return Ratio{in.totals.counters.finished_on_time + in.totals.open_on_time, in.totals.counters.with_due};
       }},
      {"online_payment_rate",
       [](const Inputs& in) { return Ratio{in.totals.counters.paid_online, in.totals.counters.with_fees}; }},
      {"digitized_rate",
       [](const Inputs& in) { return Ratio{in.totals.counters.digitized, in.totals.counters.received}; }},
      {"e_result_rate",
       [](const Inputs& in) { return Ratio{in.totals.counters.electronic_result, in.totals.counters.finished}; }},
      {"vneid_rate",
       [](const Inputs& in) { return Ratio{in.totals.counters.online_vneid, in.totals.counters.online}; }},
      {"adult_usage_rate", [](const Inputs& in) { return Ratio{in.online_submitters, in.adults.value_or(0)}; }},
      {"feedback_on_time_rate",
       [](const Inputs& in) { return Ratio{in.feedback.answered_on_time, in.feedback.answered}; }},
      {"feedback_satisfaction_rate",
       [](const Inputs& in) { return Ratio{in.feedback.satisfied_ratings, in.feedback.ratings}; }},
      {"satisfaction_rate",
       [](const Inputs& in) { return Ratio{in.feedback.survey_satisfied, in.feedback.survey_responses}; }},
      {"land_construction_investment_satisfaction_rate", [](const Inputs& in) {
         return Ratio{in.feedback.demanding_survey_satisfied, in.feedback.demanding_survey_responses};
       }}};
  auto found = ratios.find(key);
  if (found == ratios.end()) return [](const Inputs&) { return Ratio{0, 0}; };
  return found->second;
}

// The plan's target for indicator `key` in the year of `to`, when there is one.
std::optional<double> target_of(const std::string& key, const std::vector<Target>& targets, DayNumber to) {
  const int year = year_of_day(to);
  std::optional<double> result;
  for (const auto& target : targets) {
    if (target.indicator == key && year >= target.first_year && year <= target.last_year) result = target.minimum;
  }
  return result;
}

// An indicator's value from its ratio and target.
IndicatorValue indicator_value(const std::string& key, std::pair<std::int64_t, std::int64_t> ratio,
                               std::optional<double> target) {
  IndicatorValue result;
  result.key = key;
  result.numerator = ratio.first;
  result.denominator = ratio.second;
  if (result.denominator != 0) result.value = double(result.numerator) / double(result.denominator);
  result.target = target;
  if (result.target && result.value) result.met = *result.value + 1e-12 >= *result.target;
  return result;
}

IndicatorValue evaluate(const std::string& key, const Inputs& inputs, const std::vector<Target>& targets,
                        DayNumber to) {
  return indicator_value(key, ratio_of(key)(inputs), target_of(key, targets, to));
}

Result<void> check_period(DayNumber from, DayNumber to) {
  if (from > to) return fail_fields({{"from", "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc"}});
  if (to - from > 366 * 20) return fail_fields({{"to", "Khoảng thời gian dài quá 20 năm"}});
  return {};
}

Result<void> check_indicator(const std::string& key) {
  const auto& keys = indicator_keys();
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
    return fail_fields({{"indicator", "Không có chỉ số này"}});
  }
  return {};
}

// Values computed under a key, at most `limit` of them, forgotten together when full. Thread-safe.
template <typename Key, typename Value>
class Remembered {
 public:
  explicit Remembered(std::size_t limit) : limit_(limit) {}
  // The value remembered for `key`, if any.
  std::optional<Value> find(const Key& key) const {
    std::lock_guard lock(mutex_);
    auto found = values_.find(key);
    if (found == values_.end()) return std::nullopt;
    return found->second;
  }
  // Remembers `value` for `key`.
  void remember(const Key& key, Value value) {
    std::lock_guard lock(mutex_);
    if (values_.size() >= limit_) values_.clear();
    values_.insert_or_assign(key, std::move(value));
  }

 private:
  const std::size_t limit_;
  mutable std::mutex mutex_;
  std::map<Key, Value> values_;
};

// Distinct online submitters: the counts scans of kpi_daily_submitters found, and the gate in front of new scans. A
// province's count reads a million rows at 10M dossiers (seconds, hundreds of MB), and the public dashboard shows the
// province by default. Counts are remembered by (kpi_revision, the units' audit marker — which decides the unit tree
// —, unit or kind of the ranked units, period): an import, a recount or a unit change makes new keys. A new scan
// passes `admission`: two at once, two more waiting up to 10 s, any other refused as unavailable, so a burst of
// public requests for new periods can take neither the memory nor every handler thread. Shared by the threads of one
// service.
struct SubmitterScans {
  struct UnitKey {
    std::int64_t revision = 0;
    std::int64_t units_marker = 0;
    std::int64_t unit_id = 0;
    DayNumber from = 0;
    DayNumber to = 0;
    auto operator<=>(const UnitKey&) const = default;
  };
  struct RankingKey {
    std::int64_t revision = 0;
    std::int64_t units_marker = 0;
    std::string kind;
    DayNumber from = 0;
    DayNumber to = 0;
    auto operator<=>(const RankingKey&) const = default;
  };

  // A turn for a new scan, or the error to answer with.
  Result<Admission::Ticket> enter() {
    auto ticket = admission.enter(std::chrono::seconds(10));
    if (!ticket) {
      return fail(ErrorCode::unavailable,
                  "Máy chủ đang đếm người nộp hồ sơ trực tuyến cho các yêu cầu khác; vui lòng thử lại sau ít phút");
    }
    return std::move(*ticket);
  }

  Remembered<UnitKey, std::int64_t> units{256};
  // Per ranked unit of the kind, in UnitForest::of_kind order.
  Remembered<RankingKey, std::shared_ptr<const std::vector<std::int64_t>>> rankings{16};
  Admission admission{2, 2};
};

// The inputs for one unit (the ids counted under it) and period; distinct submitters counted once per `scans` key.
Result<Inputs> gather(Connection& connection, const CounterSnapshot& counters, const UnitForest& forest,
                      std::int64_t units_marker, SubmitterScans& scans, std::int64_t unit_id,
                      const std::vector<std::int64_t>& members, DayNumber from, DayNumber to, bool submitters,
                      bool catalogue, bool feedback) {
  Inputs inputs;
  for (auto id : members) inputs.totals.add(counters.totals(id, from, to));
  if (feedback) {
    for (const auto& [id, figures] : DVCHUB_TRY(feedback_figures_by_unit(connection, from, to, &members))) {
      inputs.feedback.add(figures);
    }
  }
  if (submitters) {
    const SubmitterScans::UnitKey key{counters.revision(), units_marker, unit_id, from, to};
    if (auto known = scans.units.find(key)) {
      inputs.online_submitters = *known;
    } else {
      const auto ticket = DVCHUB_TRY(scans.enter());
      TextIndex distinct;
      DVCHUB_TRY(for_each_online_submitter(connection, from, to, &members,
                                           [&](std::int64_t, std::string_view submitter) { distinct.insert(submitter); }));
      inputs.online_submitters = std::int64_t(distinct.size());
      scans.units.remember(key, inputs.online_submitters);
    }
    inputs.adults = adults_of(DVCHUB_TRY(population_of(connection, year_of_day(to))), forest, unit_id);
  }
  if (catalogue) inputs.catalogue = DVCHUB_TRY(catalogue_full_online(connection));
  return inputs;
}

// Distinct online submitters of every unit of `kind` for from..to, in UnitForest::of_kind order, from one scan of
// kpi_daily_submitters. The submitters come unit by unit: each unit's distinct ones are found by sorting that unit's
// entries alone. A ranked unit that counts one unit's dossiers (a commune without merged predecessors) takes that
// number; the others gather a set.
Result<std::shared_ptr<const std::vector<std::int64_t>>> ranked_submitter_counts(Connection& connection,
                                                                                 const UnitForest& forest,
                                                                                 const std::string& kind,
                                                                                 DayNumber from, DayNumber to) {
  const auto& ranked = forest.of_kind(kind);
  const auto& slots = forest.slots_of_kind(kind);
  auto counts = std::make_shared<std::vector<std::int64_t>>(ranked.size(), 0);
  std::vector<std::size_t> counted_units(ranked.size(), 0);
  for (const auto& [unit_id, unit_slots] : slots) {
    for (auto slot : unit_slots) ++counted_units[slot];
  }
  std::vector<TextIndex> distinct(ranked.size());
  std::int64_t current_unit = -1;
  std::vector<std::string> entries;  // current_unit's submitters
  auto close_unit = [&] {
    std::sort(entries.begin(), entries.end());
    entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
    if (auto found = slots.find(current_unit); found != slots.end()) {
      for (auto slot : found->second) {
        if (counted_units[slot] == 1) (*counts)[slot] = std::int64_t(entries.size());
        else for (const auto& entry : entries) distinct[slot].insert(entry);
      }
    }
    entries.clear();
  };
  DVCHUB_TRY(for_each_online_submitter(connection, from, to, nullptr,
                                       [&](std::int64_t unit_id, std::string_view submitter) {
                                         if (unit_id != current_unit) {
                                           if (!entries.empty()) close_unit();
                                           current_unit = unit_id;
                                         }
                                         entries.emplace_back(submitter);
                                       }));
  if (!entries.empty()) close_unit();
  for (std::size_t slot = 0; slot < ranked.size(); ++slot) {
    if (counted_units[slot] != 1) (*counts)[slot] = std::int64_t(distinct[slot].size());
  }
  return std::shared_ptr<const std::vector<std::int64_t>>(std::move(counts));
}

// Every indicator of `unit_id` (with the ids counted under it) for from..to.
Result<KpiReport> full_report(Connection& connection, const CounterSnapshot& counters, const UnitForest& forest,
                              std::int64_t units_marker, SubmitterScans& scans, std::int64_t unit_id, DayNumber from,
                              DayNumber to, const std::vector<Target>& targets) {
  auto inputs = DVCHUB_TRY(gather(connection, counters, forest, units_marker, scans, unit_id, forest.members(unit_id),
                                  from, to, true, true, true));
  KpiReport report{forest.summary(unit_id), from, to, {}};
  for (const auto& key : indicator_keys()) report.indicators.push_back(evaluate(key, inputs, targets, to));
  return report;
}

Result<std::int64_t> parse_whole_number(const std::string& text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return fail(ErrorCode::invalid_input, "");
  return value;
}

Result<std::int64_t> read_revision(Connection& connection) {
  auto row = DVCHUB_TRY(connection.query_one("SELECT revision FROM kpi_revision WHERE singleton = 1"));
  return row ? row->integer(0) : 0;
}

}  // namespace

// The counters in memory and the unit forests of recent days. Counters are read again when kpi_revision changed;
// forests when a unit changed (the newest audit record of a unit: every change of units is audited).
struct KpiService::Cache {
  struct View {
    std::shared_ptr<const CounterSnapshot> counters;
    std::shared_ptr<const UnitForest> forest;  // as of the day asked for
    std::int64_t units_marker = 0;              // the units' newest audit record: the forests' generation
  };

  // The current counters and the forest as of `day`, reading from `connection` what changed.
  Result<View> current(Connection& connection, DayNumber day) {
    std::int64_t revision = DVCHUB_TRY(read_revision(connection));
    // The newest audit record is one B-tree descent; the newest of a unit costs a scan of the units' records, so it
    // is read only when anything was audited since the last call.
    auto newest_row = DVCHUB_TRY(connection.query_one("SELECT MAX(id) FROM audit_log"));
    const std::int64_t newest = newest_row ? newest_row->integer(0) : 0;
    std::optional<std::int64_t> marker;
    {
      std::lock_guard lock(mutex);
      if (newest == newest_audit) marker = units_marker;
    }
    if (!marker) {
      auto marker_row = DVCHUB_TRY(connection.query_one("SELECT MAX(id) FROM audit_log WHERE entity_type = 'unit'"));
      marker = marker_row ? marker_row->integer(0) : 0;
    }
    std::lock_guard lock(mutex);
    newest_audit = newest;
    if (!counters || counters->revision() != revision) {
      // A snapshot read while an import committed would mix two states: read until the revision held still.
      for (int attempt = 0;; ++attempt) {
        auto loaded = DVCHUB_TRY(CounterSnapshot::load(connection, revision));
        const std::int64_t after = DVCHUB_TRY(read_revision(connection));
        if (after == revision || attempt == 2) {
          counters = std::move(loaded);  // after 3 tries, labelled with the older revision: read again next call
          break;
        }
        revision = after;
      }
    }
    if (units_marker != *marker || forests.size() >= forest_limit) forests.clear();
    units_marker = *marker;
    auto& forest = forests[day];
    if (!forest) forest = std::make_shared<const UnitForest>(DVCHUB_TRY(UnitForest::load(connection, day)));
    return View{counters, forest, *marker};
  }

  static constexpr std::size_t forest_limit = 64;
  std::mutex mutex;
  std::shared_ptr<const CounterSnapshot> counters;
  std::optional<std::int64_t> newest_audit;  // MAX(id) of audit_log when units_marker was read
  std::optional<std::int64_t> units_marker;  // MAX(id) of the units' audit records
  std::map<DayNumber, std::shared_ptr<const UnitForest>> forests;
  SubmitterScans submitter_scans;
};

KpiService::KpiService(storage::Database& database, const Clock& clock, std::vector<Target> targets)
    : database_(database), clock_(clock), targets_(std::move(targets)), cache_(std::make_unique<Cache>()) {}

KpiService::~KpiService() = default;

const std::vector<std::string>& indicator_keys() {
  static const std::vector<std::string> keys{"online_rate",
                                             "full_online_rate",
                                             "procedures_full_online_rate",
                                             "on_time_rate",
                                             "online_payment_rate",
                                             "digitized_rate",
                                             "e_result_rate",
                                             "vneid_rate",
                                             "adult_usage_rate",
                                             "satisfaction_rate",
                                             "land_construction_investment_satisfaction_rate",
                                             "feedback_on_time_rate",
                                             "feedback_satisfaction_rate"};
  return keys;
}

std::string indicator_label(const std::string& key) {
  static const std::map<std::string, std::string> labels{
      {"online_rate", "Tỷ lệ hồ sơ nộp trực tuyến"},
      {"full_online_rate", "Tỷ lệ hồ sơ trực tuyến toàn trình"},
      {"procedures_full_online_rate", "Tỷ lệ TTHC đủ điều kiện được cung cấp toàn trình"},
      {"on_time_rate", "Tỷ lệ hồ sơ giải quyết đúng hạn"},
      {"online_payment_rate", "Tỷ lệ hồ sơ thanh toán trực tuyến"},
      {"digitized_rate", "Tỷ lệ hồ sơ có thành phần số hóa"},
      {"e_result_rate", "Tỷ lệ hồ sơ có kết quả điện tử"},
      {"vneid_rate", "Tỷ lệ hồ sơ trực tuyến xác thực VNeID"},
      {"adult_usage_rate", "Tỷ lệ người trưởng thành sử dụng DVCTT"},
      {"satisfaction_rate", "Tỷ lệ người dân hài lòng (khảo sát)"},
      {"land_construction_investment_satisfaction_rate", "Tỷ lệ hài lòng về TTHC đất đai, xây dựng, đầu tư (khảo sát)"},
      {"feedback_on_time_rate", "Tỷ lệ phản ánh, kiến nghị được trả lời đúng hạn"},
      {"feedback_satisfaction_rate", "Tỷ lệ hài lòng với câu trả lời phản ánh, kiến nghị"},
  };
  auto found = labels.find(key);
  return found == labels.end() ? key : found->second;
}

std::vector<Target> plan_targets() {
  return {{"full_online_rate", 2025, 2030, 0.80},
          {"procedures_full_online_rate", 2025, 2030, 1.0},
          {"adult_usage_rate", 2025, 2025, 0.50},
          {"adult_usage_rate", 2030, 2030, 0.70},
          {"satisfaction_rate", 2025, 2030, 0.90},
          {"land_construction_investment_satisfaction_rate", 2025, 2030, 0.85}};
}

Result<std::vector<ScoringCurve>> KpiService::scoring_curves() const {
  auto connection = DVCHUB_TRY(database_.acquire());
  std::vector<ScoringCurve> curves;
  for (const auto& row : DVCHUB_TRY(connection->query(
           "SELECT component, max_points, full_at FROM kpi_index766_curves ORDER BY component"))) {
    curves.push_back({row.text(0), row.real(1), row.real(2)});
  }
  return curves;
}

Result<bool> KpiService::has_dossier(const std::string& dossier_code) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  auto row = DVCHUB_TRY(connection->query_one("SELECT 1 FROM kpi_dossiers WHERE dossier_code = $1", {dossier_code}));
  return row.has_value();
}

Result<std::string> KpiService::top_unit_code(DayNumber day) const {
  auto connection = DVCHUB_TRY(database_.acquire());
  const std::string iso = iso_from_day(day);
  auto row = DVCHUB_TRY(connection->query_one(
      "SELECT u.code FROM units u JOIN unit_versions v ON v.unit_id = u.id AND v.valid_from <= $1 "
      "AND (v.valid_to IS NULL OR v.valid_to > $1) WHERE v.parent_id IS NULL AND u.valid_from <= $1 "
      "AND (u.valid_to IS NULL OR u.valid_to > $1) ORDER BY u.code LIMIT 1",
      {iso}));
  if (!row) return fail(ErrorCode::not_found, "Chưa có đơn vị nào");
  return row->text(0);
}

DayNumber KpiService::today() const { return local_day(to_unix_seconds(clock_.now())); }

namespace {

// SQLite, a first import (no dossier stored yet): switches `connection` from WAL to the rollback journal when it is
// the only connection to the store, and says whether it did. In WAL mode every page of the new rows is written
// twice (into the WAL, then by the checkpoint into the store: 1.3 GB each at 10,000,000 dossiers); with the rollback
// journal the new pages go straight into the store, and the journal holds only the few pages that existed before —
// the import stays one transaction, and an interruption leaves a journal that the next opening of the store rolls
// back. SQLite refuses to leave WAL while another connection has the store open (a running server, another pooled
// connection): the import then stays in WAL. While the import runs, other connections wait for it (busy timeout).
Result<bool> begin_rollback_journal(Connection& connection) {
  auto any = DVCHUB_TRY(connection.query_one("SELECT dossier_code FROM kpi_dossiers LIMIT 1"));
  if (any) return false;
  auto mode = connection.query_one("PRAGMA journal_mode = DELETE");
  if (!mode) {
    if (mode.error().code == ErrorCode::unavailable) return false;  // SQLITE_BUSY: another connection holds it
    return tl::unexpected(mode.error());
  }
  return *mode && (*mode)->text(0) == "delete";  // an in-memory store answers "memory"
}

// Puts a connection that begin_rollback_journal switched back into WAL, as every connection runs.
Result<void> end_rollback_journal(Connection& connection) {
  auto mode = DVCHUB_TRY(connection.query_one("PRAGMA journal_mode = WAL"));
  if (!mode || mode->text(0) != "wal") {
    return fail(ErrorCode::unavailable, "Không mở được cơ sở dữ liệu",
                "journal_mode=WAL refused after an import (got " + (mode ? mode->text(0) : "nothing") + ")");
  }
  return {};
}

}  // namespace

Result<DossierImportReport> KpiService::import_dossiers(std::istream& input,
                                                        const std::function<void(std::size_t)>& progress,
                                                        StoreAccess access) {
  DossierImportReport report;
  auto connection = DVCHUB_TRY(database_.acquire());
  // SQLite, for this connection during the import (back to the defaults afterwards, since the connection is pooled):
  // a page cache of 128 MiB for the indexes being filled (the default 2 MiB makes every insert at a random place
  // read and write pages again); no foreign-key check per row (the unit ids are read from the units table in the
  // import's own transaction, BEGIN IMMEDIATE: no unit can go meanwhile; a fifth of the cost of storing a row).
  const bool sqlite = connection->dialect() == storage::Dialect::sqlite;
  bool rollback_journal = false;
  // Puts the pooled connection back as every other connection runs, on every way out of the import.
  auto restore_connection = [&]() -> Result<void> {
    if (!sqlite) return {};
    auto restored = connection->execute_script("PRAGMA cache_size = -2000; PRAGMA foreign_keys = ON");
    if (rollback_journal) {
      auto journal = end_rollback_journal(*connection);
      if (restored && !journal) restored = journal;
    }
    return restored;
  };
  if (sqlite) {
    if (access == StoreAccess::exclusive) rollback_journal = DVCHUB_TRY(begin_rollback_journal(*connection));
    if (auto tuned = connection->execute_script("PRAGMA cache_size = -131072; PRAGMA foreign_keys = OFF");
        !tuned) {
      (void)restore_connection();  // the failure to tune is the error to report
      return tl::unexpected(tuned.error());
    }
  }
  auto imported = storage::in_transaction(*connection, [&]() -> Result<void> {
    auto units = DVCHUB_TRY(unit_ids_by_code(*connection));
    CodeTable<std::int64_t> online_levels;  // CungCapTrucTuyen of each procedure
    for (const auto& row : DVCHUB_TRY(connection->query("SELECT code, online_level FROM procedures"))) {
      online_levels.insert(row.text(0), row.integer(1));
    }
    auto any = DVCHUB_TRY(connection->query_one("SELECT dossier_code FROM kpi_dossiers LIMIT 1"));
    const bool store_was_empty = !any.has_value();
    // Two threads: this one stores (it owns the connection); a reader parses the file into batches meanwhile.
    // The reader fills rows_read, the rejections and the unknown codes of `report`; this thread created/replaced.
    DossierWriter writer(*connection, store_was_empty);
    DVCHUB_TRY(writer.start());
    constexpr std::size_t rows_per_batch = 4096;
    BatchQueue queue(4);
    std::optional<Error> read_failure;
    CounterDelta added;  // what the accepted rows add to the counters, gathered by the reader
    std::thread reader([&] {
      std::array<std::string_view, dossier_field_count> values;
      const auto& names = dossier_field_names();
      std::vector<std::string_view> columns(names.begin(), names.end());
      ParsedDossiers batch;
      batch.reserve(rows_per_batch);
      bool storing = true;  // false once the storing side has given up
      RowSink sink;
      sink.on_row = [&](std::size_t line, std::span<const std::string_view> row) {
        if (!storing) return;
        ++report.rows_read;
        std::copy(row.begin(), row.end(), values.begin());
        auto parsed = parse_dossier_row(values);
        if (!parsed) {
          parsed.error().line = line;
          note_rejection(report.rejected_count, report.rejected, std::move(parsed.error()));
          return;
        }
        const std::int64_t* unit_id = units.find(parsed->unit_code);
        if (!unit_id) {
          const std::string code(parsed->unit_code);
          ++report.unknown_units[code];
          note_rejection(report.rejected_count, report.rejected,
                         {line, "MaDonVi", "Mã đơn vị " + code + " không có trong danh mục đơn vị"});
          return;
        }
        bool full_online = false;
        if (!parsed->procedure_code.empty()) {
          const std::int64_t* online_level = online_levels.find(parsed->procedure_code);
          if (!online_level) ++report.unknown_procedures[std::string(parsed->procedure_code)];
          else full_online = *online_level == 2;
        }
        const CountedDossier counted{*unit_id,            full_online,        parsed->channel,
                                     local_day(parsed->received_at), parsed->due_at,   parsed->finished_at,
                                     parsed->supplements, parsed->payment,    parsed->has_fees,
                                     parsed->digitized,   parsed->electronic_result, parsed->vneid};
        batch.append(*parsed, counted);
        if (batch.counted.size() >= rows_per_batch) {
          added.add_all(batch);
          storing = queue.push(std::move(batch));
          batch = {};
          batch.reserve(rows_per_batch);
        }
      };
      sink.on_bad_line = [&](std::size_t line, const std::string& reason) {
        ++report.rows_read;
        note_rejection(report.rejected_count, report.rejected, {line, "", reason});
      };
      sink.on_progress = progress;
      auto read = read_export(input, columns, {"MaHoSo", "MaDonVi", "NgayTiepNhan"}, sink);
      if (!read) read_failure = read.error();
      else if (storing && !batch.counted.empty()) {
        added.add_all(batch);
        queue.push(std::move(batch));
      }
      queue.finish();
    });
    std::optional<Error> write_failure;
    while (auto batch = queue.pop()) {
      if (auto added = writer.add_batch(*batch, report); !added) write_failure = added.error();
      if (write_failure) {
        queue.stop();
        break;
      }
    }
    reader.join();
    if (read_failure) return tl::unexpected(*read_failure);
    if (write_failure) return tl::unexpected(*write_failure);
    DVCHUB_TRY(writer.finish(report, added));
    DVCHUB_TRY(connection->execute("UPDATE kpi_revision SET revision = revision + 1 WHERE singleton = 1"));
    return {};
  });
  auto restored = restore_connection();
  if (!imported) return tl::unexpected(imported.error());
  if (!restored) return tl::unexpected(restored.error());
  return report;
}

Result<PopulationImportReport> KpiService::import_population(std::istream& input,
                                                             const std::function<void(std::size_t)>& progress) {
  PopulationImportReport report;
  auto connection = DVCHUB_TRY(database_.acquire());
  DVCHUB_TRY(storage::in_transaction(*connection, [&]() -> Result<void> {
    auto units = DVCHUB_TRY(unit_ids_by_code(*connection));
    std::optional<Error> failure;
    RowSink sink;
    sink.on_row = [&](std::size_t line, std::span<const std::string_view> row) {
      if (failure) return;
      ++report.rows_read;
      const std::string unit_code = trimmed(row[0]);
      const std::int64_t* unit_id = units.find(unit_code);
      if (!unit_id) {
        ++report.unknown_units[unit_code];
        note_rejection(report.rejected_count, report.rejected,
                       {line, "MaDonVi", "Mã đơn vị " + unit_code + " không có trong danh mục đơn vị"});
        return;
      }
      auto year = parse_whole_number(trimmed(row[1]));
      if (!year || *year < 1900 || *year > 2200) {
        note_rejection(report.rejected_count, report.rejected, {line, "Nam", "Năm không hợp lệ"});
        return;
      }
      auto adults = parse_whole_number(trimmed(row[2]));
      if (!adults || *adults < 0) {
        note_rejection(report.rejected_count, report.rejected,
                       {line, "DanSoTruongThanh", "Dân số trưởng thành phải là số nguyên không âm"});
        return;
      }
      auto stored = connection->execute(
          "INSERT INTO kpi_population (unit_id, year, adults) VALUES ($1, $2, $3) "
          "ON CONFLICT (unit_id, year) DO UPDATE SET adults = excluded.adults",
          Parameters{*unit_id, *year, *adults});
      if (!stored) failure = stored.error();
      else ++report.stored;
    };
    sink.on_bad_line = [&](std::size_t line, const std::string& reason) {
      ++report.rows_read;
      note_rejection(report.rejected_count, report.rejected, {line, "", reason});
    };
    sink.on_progress = progress;
    DVCHUB_TRY(read_export(input, {"MaDonVi", "Nam", "DanSoTruongThanh"}, {"MaDonVi", "Nam", "DanSoTruongThanh"},
                           sink));
    if (failure) return tl::unexpected(*failure);
    return {};
  }));
  return report;
}

Result<void> KpiService::recount() {
  auto connection = DVCHUB_TRY(database_.acquire());
  return storage::in_transaction(*connection, [&]() -> Result<void> {
    DVCHUB_TRY(connection->execute(
        "UPDATE kpi_dossiers SET full_online_procedure = CASE WHEN EXISTS (SELECT 1 FROM procedures p "
        "WHERE p.code = kpi_dossiers.procedure_code AND p.online_level = 2) THEN 1 ELSE 0 END"));
    DVCHUB_TRY(connection->execute("DELETE FROM kpi_daily_counts"));
    DVCHUB_TRY(connection->execute("DELETE FROM kpi_open_counts"));
    DVCHUB_TRY(connection->execute("DELETE FROM kpi_daily_submitters"));
    // The same text as migrations/0025_kpi_daily_submitters.sql fills (the aggregate is spelt per backend).
    const bool postgresql = connection->dialect() == storage::Dialect::postgresql;
    DVCHUB_TRY(connection->execute(
        std::string("INSERT INTO kpi_daily_submitters (unit_id, day, submitters) SELECT unit_id, received_day, ") +
        (postgresql ? "string_agg(submitter || chr(10), '')" : "group_concat(submitter || char(10), '')") +
        " FROM kpi_dossiers WHERE channel = 2 AND submitter IS NOT NULL GROUP BY unit_id, received_day"));
    DVCHUB_TRY(connection->execute(
        "INSERT INTO kpi_daily_counts (unit_id, day, " + std::string(counter_columns) + ") "
        "SELECT unit_id, received_day, COUNT(*), "
        "SUM(CASE WHEN channel = 2 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN channel = 2 AND full_online_procedure = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN due_at IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN due_at IS NOT NULL AND finished_at IS NOT NULL AND finished_at <= due_at "
        "AND COALESCE(supplements, 0) <= 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN has_fees = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN has_fees = 1 AND payment IN (1, 2) THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN digitized = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN finished_at IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN finished_at IS NOT NULL AND electronic_result = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN channel = 2 AND vneid = 1 THEN 1 ELSE 0 END) "
        "FROM kpi_dossiers GROUP BY unit_id, received_day"));
    DVCHUB_TRY(connection->execute(
        "INSERT INTO kpi_open_counts (unit_id, received_day, due_day, dossiers) "
        "SELECT unit_id, received_day, (due_at + 25200) / 86400, COUNT(*) FROM kpi_dossiers "
        "WHERE due_at IS NOT NULL AND finished_at IS NULL GROUP BY unit_id, received_day, (due_at + 25200) / 86400"));
    DVCHUB_TRY(connection->execute("UPDATE kpi_revision SET revision = revision + 1 WHERE singleton = 1"));
    return {};
  });
}

Result<KpiReport> KpiService::report(const std::string& unit_code, DayNumber from, DayNumber to) const {
  DVCHUB_TRY(check_period(from, to));
  auto connection = DVCHUB_TRY(database_.acquire());
  auto [counters, forest, units_marker] = DVCHUB_TRY(cache_->current(*connection, to));
  auto unit_id = forest->find(unit_code);
  if (!unit_id) return fail(ErrorCode::not_found, "Không có đơn vị mã " + unit_code);
  return full_report(*connection, *counters, *forest, units_marker, cache_->submitter_scans, *unit_id, from, to,
                     targets_);
}

Result<Breakdown> KpiService::breakdown(const std::string& unit_code, DayNumber from, DayNumber to,
                                        std::size_t offset, std::size_t limit) const {
  DVCHUB_TRY(check_period(from, to));
  auto connection = DVCHUB_TRY(database_.acquire());
  auto [counters, forest, units_marker] = DVCHUB_TRY(cache_->current(*connection, to));
  auto unit_id = forest->find(unit_code);
  if (!unit_id) return fail(ErrorCode::not_found, "Không có đơn vị mã " + unit_code);
  auto& scans = cache_->submitter_scans;
  Breakdown breakdown;
  breakdown.unit =
      DVCHUB_TRY(full_report(*connection, *counters, *forest, units_marker, scans, *unit_id, from, to, targets_));
  const auto& above = forest->containing(*unit_id);  // itself, then its parent, up to the top
  for (auto id = above.rbegin(); id != above.rend(); ++id) {
    if (*id != *unit_id) breakdown.path.push_back(forest->summary(*id));
  }
  const auto children = forest->children(*unit_id);
  breakdown.child_count = children.size();
  for (std::size_t index = offset; index < children.size() && index - offset < limit; ++index) {
    breakdown.children.push_back(
        DVCHUB_TRY(full_report(*connection, *counters, *forest, units_marker, scans, children[index], from, to,
                               targets_)));
  }
  return breakdown;
}

Result<std::vector<SeriesPoint>> KpiService::series(const std::string& unit_code, const std::string& indicator,
                                                    DayNumber from, DayNumber to) const {
  DVCHUB_TRY(check_period(from, to));
  DVCHUB_TRY(check_indicator(indicator));
  auto connection = DVCHUB_TRY(database_.acquire());
  auto [counters, forest, units_marker] = DVCHUB_TRY(cache_->current(*connection, to));
  auto unit_id = forest->find(unit_code);
  if (!unit_id) return fail(ErrorCode::not_found, "Không có đơn vị mã " + unit_code);
  auto members = forest->members(*unit_id);
  std::vector<SeriesPoint> points;
  for (auto month = month_of_day(from); month <= month_of_day(to); ++month) {
    DayNumber first = std::max(from, first_day_of_month(month));
    DayNumber last = std::min(to, first_day_of_month(month + 1) - 1);
    auto inputs = DVCHUB_TRY(gather(*connection, *counters, *forest, units_marker, cache_->submitter_scans, *unit_id,
                                    members, first, last, needs_submitters(indicator), needs_catalogue(indicator),
                                    needs_feedback(indicator)));
    points.push_back({first, last, evaluate(indicator, inputs, targets_, last)});
  }
  return points;
}

Result<Ranking> KpiService::ranking(const std::string& indicator, DayNumber from, DayNumber to,
                                    const std::string& kind, std::size_t offset, std::size_t limit) const {
  DVCHUB_TRY(check_period(from, to));
  DVCHUB_TRY(check_indicator(indicator));
  if (kind.empty()) return fail_fields({{"kind", "Thiếu loại đơn vị"}});
  auto connection = DVCHUB_TRY(database_.acquire());
  [[maybe_unused]] auto [counters, forest_pointer, units_marker] = DVCHUB_TRY(cache_->current(*connection, to));
  const UnitForest& forest = *forest_pointer;
  const auto& ranked = forest.of_kind(kind);
  const auto& slots = forest.slots_of_kind(kind);
  std::vector<Inputs> inputs(ranked.size());
  // Calls `add(inputs of a ranked unit)` for each ranked unit a dossier of `unit_id` counts under.
  auto for_each_ranked_containing = [&](std::int64_t unit_id, const auto& add) {
    if (auto found = slots.find(unit_id); found != slots.end()) {
      for (auto slot : found->second) add(inputs[slot]);
    }
  };
  counters->for_each_unit(from, to, [&](std::int64_t unit_id, const auto& totals_of_unit) {
    if (auto found = slots.find(unit_id); found != slots.end()) {
      const Totals totals = totals_of_unit();
      for (auto slot : found->second) inputs[slot].totals.add(totals);
    }
  });
  if (needs_submitters(indicator)) {
    auto& scans = cache_->submitter_scans;
    const SubmitterScans::RankingKey key{counters->revision(), units_marker, kind, from, to};
    auto counts = scans.rankings.find(key);
    if (!counts) {
      const auto ticket = DVCHUB_TRY(scans.enter());
      counts = DVCHUB_TRY(ranked_submitter_counts(*connection, forest, kind, from, to));
      scans.rankings.remember(key, *counts);
    }
    const auto population = DVCHUB_TRY(population_of(*connection, year_of_day(to)));
    for (std::size_t index = 0; index < ranked.size(); ++index) {
      inputs[index].online_submitters = (**counts)[index];
      inputs[index].adults = adults_of(population, forest, ranked[index]);
    }
  }
  if (needs_catalogue(indicator)) {
    auto catalogue = DVCHUB_TRY(catalogue_full_online(*connection));
    for (auto& unit_inputs : inputs) unit_inputs.catalogue = catalogue;
  }
  if (needs_feedback(indicator)) {
    for (const auto& [unit_id, figures] : DVCHUB_TRY(feedback_figures_by_unit(*connection, from, to, nullptr))) {
      for_each_ranked_containing(unit_id, [&](Inputs& target) { target.feedback.add(figures); });
    }
  }
  // Best first (ties by code, no value last), sorted as small records; the entries (names, labels) are built only
  // for the page returned.
  struct Scored {
    std::pair<std::int64_t, std::int64_t> ratio;
    std::optional<double> value;
    const std::string* code;
    std::size_t slot;
  };
  const RatioOf ratio = ratio_of(indicator);
  std::vector<Scored> scored;
  scored.reserve(ranked.size());
  for (std::size_t index = 0; index < ranked.size(); ++index) {
    const auto pair = ratio(inputs[index]);
    std::optional<double> value;
    if (pair.second != 0) value = double(pair.first) / double(pair.second);
    scored.push_back({pair, value, &forest.node(ranked[index])->summary.code, index});
  }
  std::sort(scored.begin(), scored.end(), [](const Scored& left, const Scored& right) {
    if (left.value.has_value() != right.value.has_value()) return left.value.has_value();
    if (left.value && *left.value != *right.value) return *left.value > *right.value;
    return *left.code < *right.code;
  });
  Ranking result;
  result.target = target_of(indicator, targets_, to);
  result.unit_count = scored.size();
  const std::size_t end = offset >= scored.size() ? offset : offset + std::min(limit, scored.size() - offset);
  result.entries.reserve(end - offset);
  std::int64_t rank = 0;
  for (std::size_t index = 0; index < scored.size() && index < end; ++index) {
    const auto& value = scored[index].value;
    // Equal values share a rank; units without a value all share the rank after the last valued one.
    const bool same_as_previous =
        index > 0 && (value ? scored[index - 1].value == value : !scored[index - 1].value.has_value());
    if (!same_as_previous) rank = std::int64_t(index + 1);
    if (index >= offset) {
      result.entries.push_back({rank, forest.summary(ranked[scored[index].slot]),
                                indicator_value(indicator, scored[index].ratio, result.target)});
    }
  }
  return result;
}

}  // namespace dvchub::kpi
