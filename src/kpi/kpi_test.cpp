#include "kpi/kpi_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <sstream>

#include "calendar/working_calendar.h"
#include "catalogue/catalogue.h"
#include "core/dates.h"
#include "feedback/feedback_generator.h"
#include "feedback/feedback_service.h"
#include "feedback/survey_service.h"
#include "json/json.h"
#include "kpi/dossier_generator.h"
#include "kpi/index766.h"
#include "kpi/kpi_routes.h"
#include "kpi/upload_routes.h"
#include "support/test_database.h"
#include "units/units.h"

namespace dvchub::kpi {
namespace {

using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

// 2025-02-03 08:00 in Vietnam = 01:00 UTC.
constexpr std::int64_t february_third_eight = 1738544400;
constexpr std::int64_t february_third_midnight = 1738515600;

TEST(DossierDates, ReadsEveryFormatOfTheExports) {
  for (const char* text : {"2025-02-03T08:00:00+07:00", "2025-02-03T08:00:00", "2025-02-03T01:00:00Z",
                           "2025-02-03 08:00:00", "2025-02-03T08:00", "2025-02-03T08:00:00.250+0700",
                           "2025-02-03T03:00:00+02:00", "03/02/2025 08:00", "03/02/2025 08:00:00",
                           "20250203080000"}) {
    auto parsed = parse_dossier_instant(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(parsed->unix_seconds, february_third_eight) << text;
    EXPECT_FALSE(parsed->date_only) << text;
  }
  for (const char* text : {"03/02/2025", "2025-02-03"}) {
    auto parsed = parse_dossier_instant(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(parsed->unix_seconds, february_third_midnight) << text;
    EXPECT_TRUE(parsed->date_only) << text;
  }
  for (const char* text : {"31/02/2025", "2025-13-01", "2025/02/03", "3/2/2025", "20250203", "2025-02-03T25:00",
                           "03/02/2025 8:00", "2025-02-03T08:00:00+7", "20250230080000", "", "hôm qua"}) {
    EXPECT_FALSE(parse_dossier_instant(text).has_value()) << text;
  }
  EXPECT_EQ(local_day(february_third_midnight), local_day(february_third_midnight + 86399));
  EXPECT_EQ(local_day(february_third_midnight - 1) + 1, local_day(february_third_midnight));
  EXPECT_EQ(iso_from_day(local_day(february_third_eight)), "2025-02-03");
  EXPECT_EQ(iso_from_day(first_day_of_month(month_of_day(*day_from_iso("2024-02-29")) + 1)), "2024-03-01");
}

const char* dossier_header =
    "MaHoSo,MaTTHC,MaDonVi,KenhThucHien,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,NgayTra,TrangThaiHoSo,SoLanBoSung,"
    "DuocThanhToanTrucTuyen,CoNghiaVuTaiChinh,HoSoCoThanhPhanSoHoa,CoKetQuaDienTu,TaiKhoanDuocXacThucVoiVNeID,"
    "MaNguoiNop\n";

// The hand-checked dataset. Units: province P; district D under P; communes A and B under D merged into C on
// 2025-07-01; commune E under D (no dossiers); commune F directly under P. Catalogue: 1.1 eligible and offered
// toàn trình, 1.2 eligible but một phần, 1.3 not eligible. Every expected value below is worked out by hand in
// the comments of the tests.
const char* hand_checked_dossiers =
    // H1 A online, full-online procedure; due date only (= end of 10/02), finished that afternoon: on time.
    "H1,1.1,A,2,2025-02-03T08:00:00+07:00,10/02/2025,10/02/2025 16:30,11/02/2025,10,0,1,1,1,1,1,S1\n"
    // H2 A online, một phần; finished the morning after its due time: late. Same submitter as H1.
    "H2,1.2,A,2,05/03/2025,2025-03-10T17:00:00,20250311080000,,10,0,0,1,0,0,0,S1\n"
    // H3 B direct, no due date (not in on_time's denominator), finished, electronic result.
    "H3,1.1,B,1,2025-04-01,,2025-04-02,,10,,,,1,1,,S2\n"
    // H4 C online, finished before its due date but after two supplement requests: late.
    "H4,1.1,C,2,2025-08-01 09:00,2025-08-10,2025-08-09,,10,2,0,0,0,1,1,S3\n"
    // H5 C online, unfinished, due 15/12: past due at the end of 31/12: late.
    "H5,1.1,C,2,2025-12-01,2025-12-15,,,4,0,,0,0,0,0,S4\n"
    // H6 C postal, unfinished, due 05/01/2026: still in time at the end of 31/12: on time. Fees paid (2).
    "H6,1.2,C,3,2025-12-20,2026-01-05,,,2,0,2,1,0,0,,S5\n"
    // H7 D itself, online, procedure unknown to the catalogue (kept, not full online); one supplement: on time.
    "H7,9.9,D,2,2025-06-15T10:00:00+07:00,2025-06-20,2025-06-19,,10,1,2,1,1,0,1,S2\n"
    // H8 unknown unit: rejected and reported.
    "H8,1.1,ZZ,2,2025-05-05,,,,,,,,,,,S9\n"
    // H9 impossible date: rejected with its line and field.
    "H9,1.1,A,2,31/02/2025,,,,,,,,,,,S9\n"
    // H10 received 31/12/2024 23:30 in Vietnam: outside 2025.
    "H10,1.1,A,2,2024-12-31T16:30:00Z,,,,,,,,,,,S8\n"
    // H11 received 01/01/2025 00:30 in Vietnam (17:30 UTC the day before): inside 2025. Direct, unfinished.
    "H11,1.3,A,1,2024-12-31T17:30:00Z,,,,,,,,,,,S7\n"
    // H12 F online, full online.
    "H12,1.1,F,2,2025-05-05,,,,,,,,,,,S6\n";

class KpiServiceTest : public dvchub::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    units::UnitService units(database(), clock_);
    for (const auto& unit : std::vector<units::NewUnit>{{"P", "Tỉnh P", "province", std::nullopt, "2025-01-01"},
                                                       {"D", "Huyện D", "district", "P", "2025-01-01"},
                                                       {"A", "Xã A", "commune", "D", "2025-01-01"},
                                                       {"B", "Xã B", "commune", "D", "2025-01-01"},
                                                       {"E", "Xã E", "commune", "D", "2025-01-01"},
                                                       {"F", "Xã F", "commune", "P", "2025-01-01"}}) {
      ASSERT_TRUE(is_ok(units.create(unit, actor_)));
    }
    ASSERT_TRUE(is_ok(units.merge({"A", "B"}, "C",
                                  units::NewUnit{"C", "Xã C", "commune", "D", "2025-07-01"}, "2025-07-01", actor_)));
    catalogue::CatalogueService catalogue(database(), clock_);
    catalogue::CatalogueReport procedures;
    procedures.procedures = {{"1.1", "Thủ tục 1", "", "", true, 2, false},
                             {"1.2", "Thủ tục 2", "", "", true, 1, true},
                             {"1.3", "Thủ tục 3", "", "", false, 0, false}};
    ASSERT_TRUE(is_ok(catalogue.import(procedures, actor_)));
  }

  // Imports as the command line does (StoreAccess::exclusive) unless told otherwise.
  Result<DossierImportReport> import(KpiService& service, const std::string& rows,
                                     StoreAccess access = StoreAccess::exclusive) {
    std::istringstream input(std::string(dossier_header) + rows);
    return service.import_dossiers(input, {}, access);
  }

  // SQLite: the store's file name and the size of its WAL file (0 when there is none).
  std::pair<std::string, std::uintmax_t> store_file_and_wal_size() {
    auto connection = acquire();
    auto main = connection->query_one("SELECT file FROM pragma_database_list WHERE name = 'main'");
    EXPECT_TRUE(is_ok(main));
    const std::string file = (*main)->text(0);
    std::error_code error;
    const auto size = std::filesystem::file_size(file + "-wal", error);
    return {file, error ? 0 : size};
  }

  // SQLite: the journal mode a connection of the pool reports ("wal" for every connection outside an import).
  std::string journal_mode() {
    auto connection = acquire();
    auto mode = connection->query_one("PRAGMA journal_mode");
    EXPECT_TRUE(is_ok(mode));
    return (*mode)->text(0);
  }

  static const IndicatorValue& indicator(const KpiReport& report, const std::string& key) {
    for (const auto& value : report.indicators) {
      if (value.key == key) return value;
    }
    throw std::out_of_range(key);
  }

  static void expect_ratio(const IndicatorValue& value, std::int64_t numerator, std::int64_t denominator) {
    EXPECT_EQ(value.numerator, numerator) << value.key;
    EXPECT_EQ(value.denominator, denominator) << value.key;
    if (denominator == 0) {
      EXPECT_FALSE(value.value.has_value()) << value.key;
    } else {
      ASSERT_TRUE(value.value.has_value()) << value.key;
      EXPECT_DOUBLE_EQ(*value.value, double(numerator) / double(denominator)) << value.key;
    }
  }

  DayNumber day(const char* iso) { return *day_from_iso(iso); }

  ManualClock clock_{TimePoint(std::chrono::seconds(1767200000))};
  audit::Actor actor_ = audit::Actor::system("test");
};

TEST_P(KpiServiceTest, ImportReportsBadRowsAndUnknownCodes) {
  KpiService service(database(), clock_);
  auto report = import(service, hand_checked_dossiers);
  ASSERT_TRUE(is_ok(report));
  EXPECT_EQ(report->rows_read, 12u);
  EXPECT_EQ(report->created, 10u);
  EXPECT_EQ(report->replaced, 0u);
  ASSERT_EQ(report->rejected_count, 2u);
  EXPECT_EQ(report->rejected[0].line, 9u);  // the header is line 1
  EXPECT_EQ(report->rejected[0].field, "MaDonVi");
  EXPECT_EQ(report->rejected[1].line, 10u);
  EXPECT_EQ(report->rejected[1].field, "NgayTiepNhan");
  EXPECT_EQ(report->unknown_units, (std::map<std::string, std::size_t>{{"ZZ", 1}}));
  EXPECT_EQ(report->unknown_procedures, (std::map<std::string, std::size_t>{{"9.9", 1}}));

  std::istringstream missing_column("MaHoSo,MaTTHC\nX,1.1\n");
  EXPECT_TRUE(fails_with(service.import_dossiers(missing_column), ErrorCode::invalid_input));
}

TEST_P(KpiServiceTest, EveryIndicatorMatchesTheHandCheckedValues) {
  KpiService service(database(), clock_);
  ASSERT_TRUE(is_ok(import(service, hand_checked_dossiers)));
  std::istringstream population("MaDonVi,Nam,DanSoTruongThanh\nD,2025,10\nC,2025,4\nF,2025,2\nP,2024,99\n");
  auto people = service.import_population(population);
  ASSERT_TRUE(is_ok(people));
  EXPECT_EQ(people->stored, 4u);

  // D on 31/12/2025 holds C, E and D itself; C carries on A and B. Received in 2025: H1–H7, H11 = 8.
  auto district = service.report("D", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(district));
  EXPECT_EQ(district->unit.name, "Huyện D");
  expect_ratio(indicator(*district, "online_rate"), 5, 8);       // H1 H2 H4 H5 H7
  expect_ratio(indicator(*district, "full_online_rate"), 3, 8);  // H1 H4 H5 (1.1); H2 một phần, H7 unknown
  EXPECT_EQ(indicator(*district, "full_online_rate").target, 0.80);
  EXPECT_EQ(indicator(*district, "full_online_rate").met, false);
  expect_ratio(indicator(*district, "procedures_full_online_rate"), 1, 2);  // 1.1 of {1.1, 1.2}
  EXPECT_EQ(indicator(*district, "procedures_full_online_rate").target, 1.0);
  expect_ratio(indicator(*district, "on_time_rate"), 3, 6);  // due: H1 H2 H4 H5 H6 H7; on time: H1 H6 H7
  expect_ratio(indicator(*district, "online_payment_rate"), 3, 4);  // fees: H1 H2 H6 H7; paid: H1 H6 H7
  expect_ratio(indicator(*district, "digitized_rate"), 3, 8);       // H1 H3 H7
  expect_ratio(indicator(*district, "e_result_rate"), 3, 5);        // finished H1 H2 H3 H4 H7; e-result H1 H3 H4
  expect_ratio(indicator(*district, "vneid_rate"), 3, 5);           // online with VNeID: H1 H4 H7
  expect_ratio(indicator(*district, "adult_usage_rate"), 4, 10);    // S1 S3 S4 S2 / 10 adults of D
  EXPECT_EQ(indicator(*district, "adult_usage_rate").target, 0.50);
  EXPECT_EQ(indicator(*district, "adult_usage_rate").met, false);
  EXPECT_FALSE(indicator(*district, "online_rate").target.has_value());
  EXPECT_FALSE(indicator(*district, "online_rate").met.has_value());

  // C carries on A and B: H1 H2 H3 H4 H5 H6 H11 = 7.
  auto commune = service.report("C", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(commune));
  expect_ratio(indicator(*commune, "online_rate"), 4, 7);
  expect_ratio(indicator(*commune, "on_time_rate"), 2, 5);       // H1 H6 of H1 H2 H4 H5 H6
  expect_ratio(indicator(*commune, "adult_usage_rate"), 3, 4);   // S1 S3 S4
  EXPECT_EQ(indicator(*commune, "adult_usage_rate").met, true);

  // The province has no population row for 2025: the sum of the units under it (D 10 + C 4 + F 2 = 16).
  auto province = service.report("P", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(province));
  expect_ratio(indicator(*province, "online_rate"), 6, 9);  // + H12
  expect_ratio(indicator(*province, "adult_usage_rate"), 5, 16);

  // As of 31/03/2025, A still exists and holds H11 (1 Jan), H1 and H2.
  auto before_merge = service.report("A", day("2025-01-01"), day("2025-03-31"));
  ASSERT_TRUE(is_ok(before_merge));
  expect_ratio(indicator(*before_merge, "online_rate"), 2, 3);
  // A period ending while H5 was still in time: on 14/12 H5 is unfinished and due 15/12, so on time.
  auto december = service.report("C", day("2025-12-01"), day("2025-12-14"));
  ASSERT_TRUE(is_ok(december));
  expect_ratio(indicator(*december, "on_time_rate"), 1, 1);
  // Partial months around a whole month: 15/01..05/03 holds H1 (3 Feb) and H2 (5 Mar).
  auto around = service.report("D", day("2025-01-15"), day("2025-03-05"));
  ASSERT_TRUE(is_ok(around));
  expect_ratio(indicator(*around, "online_rate"), 2, 2);
  // A period with nothing received: every dossier ratio is null.
  auto empty = service.report("E", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(empty));
  expect_ratio(indicator(*empty, "online_rate"), 0, 0);
  expect_ratio(indicator(*empty, "adult_usage_rate"), 0, 0);

  EXPECT_TRUE(fails_with(service.report("NOPE", day("2025-01-01"), day("2025-12-31")), ErrorCode::not_found));
  EXPECT_TRUE(fails_with(service.report("D", day("2025-12-31"), day("2025-01-01")), ErrorCode::invalid_input));
}

TEST_P(KpiServiceTest, RankingAndMonthlySeries) {
  KpiService service(database(), clock_);
  ASSERT_TRUE(is_ok(import(service, hand_checked_dossiers)));
  auto whole = service.ranking("online_rate", day("2025-01-01"), day("2025-12-31"), "commune");
  ASSERT_TRUE(is_ok(whole));
  const auto* ranking = &whole->entries;
  EXPECT_EQ(whole->unit_count, 3u);
  EXPECT_FALSE(whole->target.has_value());  // online_rate has no plan target
  ASSERT_EQ(ranking->size(), 3u);  // C, E, F valid on 31/12; A and B have ended
  EXPECT_EQ((*ranking)[0].unit.code, "F");  // 1/1
  EXPECT_EQ((*ranking)[0].rank, 1);
  EXPECT_EQ((*ranking)[1].unit.code, "C");  // 4/7
  expect_ratio((*ranking)[1].indicator, 4, 7);
  EXPECT_EQ((*ranking)[2].unit.code, "E");  // no dossier: last
  EXPECT_FALSE((*ranking)[2].indicator.value.has_value());
  // A page keeps the ranks computed over every unit.
  auto page = service.ranking("online_rate", day("2025-01-01"), day("2025-12-31"), "commune", 1, 1);
  ASSERT_TRUE(is_ok(page));
  EXPECT_EQ(page->unit_count, 3u);
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].unit.code, "C");
  EXPECT_EQ(page->entries[0].rank, 2);
  auto beyond = service.ranking("online_rate", day("2025-01-01"), day("2025-12-31"), "commune", 5, 10);
  ASSERT_TRUE(is_ok(beyond));
  EXPECT_TRUE(beyond->entries.empty());
  EXPECT_EQ(beyond->unit_count, 3u);
  auto targeted = service.ranking("full_online_rate", day("2025-01-01"), day("2025-12-31"), "commune");
  ASSERT_TRUE(is_ok(targeted));
  EXPECT_EQ(targeted->target, 0.8);
  EXPECT_TRUE(fails_with(service.ranking("nope", day("2025-01-01"), day("2025-12-31"), "commune"),
                         ErrorCode::invalid_input));

  auto series = service.series("C", "online_rate", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(series));
  ASSERT_EQ(series->size(), 12u);
  expect_ratio((*series)[0].indicator, 0, 1);   // January: H11 direct
  expect_ratio((*series)[1].indicator, 1, 1);   // February: H1
  expect_ratio((*series)[3].indicator, 0, 1);   // April: H3 direct
  expect_ratio((*series)[4].indicator, 0, 0);   // May: nothing in C's line (H12 is F's)
  expect_ratio((*series)[7].indicator, 1, 1);   // August: H4
  expect_ratio((*series)[11].indicator, 1, 2);  // December: H5 online, H6 postal
  EXPECT_EQ(iso_from_day((*series)[11].from), "2025-12-01");
  EXPECT_EQ(iso_from_day((*series)[11].to), "2025-12-31");
}

TEST_P(KpiServiceTest, ReimportReplacesTheDossierAndItsCounts) {
  KpiService service(database(), clock_);
  ASSERT_TRUE(is_ok(import(service, hand_checked_dossiers)));
  // H5 is now finished on time (before its due date 15/12), and a new H13 arrives; the file repeats H13 with a
  // later snapshot, which wins.
  auto again = import(service,
                      "H5,1.1,C,2,2025-12-01,2025-12-15,2025-12-10,,10,0,,0,0,1,0,S4\n"
                      "H13,1.2,C,1,2025-11-11,,,,,,,,,,,S10\n"
                      "H13,1.2,C,2,2025-11-11,,,,,,,,,,,S10\n");
  ASSERT_TRUE(is_ok(again));
  EXPECT_EQ(again->created, 1u);
  EXPECT_EQ(again->replaced, 2u);
  auto district = service.report("D", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(district));
  expect_ratio(indicator(*district, "online_rate"), 6, 9);   // + H13 online (its second copy)
  expect_ratio(indicator(*district, "on_time_rate"), 4, 6);  // + H5
  expect_ratio(indicator(*district, "e_result_rate"), 4, 6); // H5 finished with an electronic result

  // The counters equal a recount from the stored dossiers.
  ASSERT_TRUE(is_ok(service.recount()));
  auto recounted = service.report("D", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(recounted));
  for (std::size_t index = 0; index < district->indicators.size(); ++index) {
    EXPECT_EQ(recounted->indicators[index].numerator, district->indicators[index].numerator);
    EXPECT_EQ(recounted->indicators[index].denominator, district->indicators[index].denominator);
  }
}

// A first import (an empty store) whose file repeats a MaHoSo: within one 64-row statement and across statements.
// kpi_daily_submitters as "unit day: sorted entries", one line per row, for comparing what imports left with a
// recount.
std::string stored_submitters(storage::Connection& connection) {
  auto rows = connection.query("SELECT unit_id, day, submitters FROM kpi_daily_submitters ORDER BY unit_id, day");
  EXPECT_TRUE(is_ok(rows));
  std::string listing;
  if (!is_ok(rows)) return listing;
  for (const auto& row : *rows) {
    std::vector<std::string> entries;
    std::istringstream lines(row.text(2));
    for (std::string entry; std::getline(lines, entry);) entries.push_back(entry);
    std::sort(entries.begin(), entries.end());
    listing += std::to_string(row.integer(0)) + " " + std::to_string(row.integer(1)) + ":";
    for (const auto& entry : entries) listing += " " + entry;
    listing += "\n";
  }
  return listing;
}

// The last copy wins, each repeat counts as replaced, and the counters equal a recount.
TEST_P(KpiServiceTest, AFirstImportThatRepeatsADossierKeepsItsLastCopy) {
  KpiService service(database(), clock_);
  std::string rows;
  for (int index = 0; index < 200; ++index) {
    rows += "R" + std::to_string(index) + ",1.1,C,1,2025-08-01,,,,,,,,,,,S" + std::to_string(index) + "\n";
    if (index == 10) rows += "R3,1.1,C,2,2025-08-02,,,,,,,,,,,S3\n";     // same statement as the first R3
    if (index == 150) rows += "R20,1.1,E,2,2025-09-01,,,,,,,,,,,S20\n";  // a later statement; moves to E
    if (index == 170) rows += "R20,1.1,E,2,2025-09-01,,,,,,,,,,,S99\n";  // online again, by another submitter
  }
  auto imported = import(service, rows);
  ASSERT_TRUE(is_ok(imported));
  EXPECT_EQ(imported->created, 200u);
  EXPECT_EQ(imported->replaced, 3u);
  auto connection = acquire();
  auto stored = connection->query_one("SELECT COUNT(*), SUM(channel) FROM kpi_dossiers");
  ASSERT_TRUE(is_ok(stored));
  EXPECT_EQ((*stored)->integer(0), 200);
  EXPECT_EQ((*stored)->integer(1), 202);  // 198 direct, R3 and R20 online
  auto commune = service.report("C", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(commune));
  expect_ratio(indicator(*commune, "online_rate"), 1, 199);  // R3 online; R20 is E's now
  auto other = service.report("E", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(other));
  expect_ratio(indicator(*other, "online_rate"), 1, 1);
  expect_ratio(indicator(*commune, "adult_usage_rate"), 1, 0);  // S3 only: R3's first copy was direct
  expect_ratio(indicator(*other, "adult_usage_rate"), 1, 0);    // S99: R20's S20 was taken away
  auto submitters_of_e = connection->query_one(
      "SELECT s.submitters FROM kpi_daily_submitters s JOIN units u ON u.id = s.unit_id WHERE u.code = 'E'");
  ASSERT_TRUE(is_ok(submitters_of_e));
  ASSERT_TRUE(submitters_of_e->has_value());
  EXPECT_EQ((*submitters_of_e)->text(0), "S99\n");
  const std::string kept = stored_submitters(*connection);
  ASSERT_TRUE(is_ok(service.recount()));
  EXPECT_EQ(stored_submitters(*connection), kept);
  auto recounted = service.report("C", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(recounted));
  for (std::size_t index = 0; index < commune->indicators.size(); ++index) {
    EXPECT_EQ(recounted->indicators[index].numerator, commune->indicators[index].numerator);
    EXPECT_EQ(recounted->indicators[index].denominator, commune->indicators[index].denominator);
  }
}

// The unit trees kept in memory follow unit changes made after they were read (here through another service, as
// another process would): F moves under D, then is dissolved into E.
TEST_P(KpiServiceTest, UnitChangesAreSeenByTheNextQuery) {
  KpiService service(database(), clock_);
  ASSERT_TRUE(is_ok(import(service, hand_checked_dossiers)));
  auto before = service.report("D", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(before));
  expect_ratio(indicator(*before, "online_rate"), 5, 8);
  // S1 S3 S4 S2 — asked twice, the second count remembered for this revision and unit tree.
  EXPECT_EQ(indicator(*before, "adult_usage_rate").numerator, 4);
  EXPECT_EQ(indicator(*service.report("D", day("2025-01-01"), day("2025-12-31")), "adult_usage_rate").numerator, 4);
  // The ranking of districts counts the same, and is remembered the same way.
  auto district_submitters = [&]() -> std::int64_t {
    auto ranking = service.ranking("adult_usage_rate", day("2025-01-01"), day("2025-12-31"), "district");
    EXPECT_TRUE(is_ok(ranking));
    if (!is_ok(ranking) || ranking->entries.size() != 1) return -1;
    return ranking->entries.front().indicator.numerator;
  };
  EXPECT_EQ(district_submitters(), 4);
  EXPECT_EQ(district_submitters(), 4);
  units::UnitService units(database(), clock_);
  ASSERT_TRUE(is_ok(units.move("F", std::string("D"), "2025-06-01", actor_)));
  auto moved = service.report("D", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(moved));
  expect_ratio(indicator(*moved, "online_rate"), 6, 9);  // + H12 of F
  EXPECT_EQ(indicator(*moved, "adult_usage_rate").numerator, 5);  // + S6: a unit change is a new count
  EXPECT_EQ(district_submitters(), 5);
  auto earlier = service.report("D", day("2025-01-01"), day("2025-05-31"));  // before the move: F not under D
  ASSERT_TRUE(is_ok(earlier));
  expect_ratio(indicator(*earlier, "online_rate"), 2, 4);  // H1 H2 online of H1 H2 H3 H11 (H7 is June)
  ASSERT_TRUE(is_ok(units.dissolve("F", std::string("E"), "2025-09-01", actor_)));
  auto commune = service.report("E", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(commune));
  expect_ratio(indicator(*commune, "online_rate"), 1, 1);  // H12, carried on by E
}

TEST_P(KpiServiceTest, AnImportThatFailsLeavesTheStoreAsItWas) {
  KpiService service(database(), clock_);
  std::string rows;
  // Rows are written before the error is seen: 9,000 rows fill 140 statements on SQLite, and one COPY of 8,192 rows
  // into the staging table and its move into kpi_dossiers on PostgreSQL.
  for (int index = 0; index < 9000; ++index) {
    rows += "G" + std::to_string(index) + ",1.1,C,2,2025-08-01,,,,,,,,,,,S1\n";
  }
  rows += "BROKEN,\"1.1,C,2,2025-08-01\n";  // an unterminated quote at the end of the file
  // Both ways: in WAL (the upload page) and, on SQLite, with the rollback journal (the command line's first import).
  for (const auto access : {StoreAccess::shared, StoreAccess::exclusive}) {
    EXPECT_TRUE(fails_with(import(service, rows, access), ErrorCode::invalid_input));
    auto connection = acquire();
    auto count = connection->query_one("SELECT COUNT(*) FROM kpi_dossiers");
    ASSERT_TRUE(is_ok(count));
    EXPECT_EQ((*count)->integer(0), 0);
    auto counters = connection->query_one("SELECT COUNT(*) FROM kpi_daily_counts");
    ASSERT_TRUE(is_ok(counters));
    EXPECT_EQ((*counters)->integer(0), 0);
  }
  if (!is_postgresql()) EXPECT_EQ(journal_mode(), "wal");
  ASSERT_TRUE(is_ok(import(service, "G1,1.1,C,2,2025-08-01,,,,,,,,,,,S1\n")));  // the store takes imports again
  auto report = service.report("C", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(report));
  expect_ratio(indicator(*report, "online_rate"), 1, 1);
}

// The command line's first import into a store that only it has open: on SQLite with the rollback journal, so the
// new pages are written once and never into the WAL; the store is in WAL again afterwards, with no journal left.
TEST_P(KpiServiceTest, AnExclusiveFirstImportWritesNothingIntoTheWal) {
  KpiService service(database(), clock_);
  std::string rows;
  for (int index = 0; index < 9000; ++index) rows += "G" + std::to_string(index) + ",1.1,C,2,2025-08-01,,,,,,,,,,,S1\n";
  if (!is_postgresql()) ASSERT_TRUE(is_ok(acquire()->query_one("PRAGMA wal_checkpoint(TRUNCATE)")));
  auto imported = import(service, rows, StoreAccess::exclusive);
  ASSERT_TRUE(is_ok(imported));
  EXPECT_EQ(imported->created, 9000u);
  auto report = service.report("C", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(report));
  expect_ratio(indicator(*report, "online_rate"), 9000, 9000);
  expect_ratio(indicator(*report, "adult_usage_rate"), 1, 0);  // one distinct submitter; no population
  if (is_postgresql()) return;
  const auto [file, wal_size] = store_file_and_wal_size();
  EXPECT_LT(wal_size, 4096u);  // not one page
  EXPECT_FALSE(std::filesystem::exists(file + "-journal"));
  EXPECT_EQ(journal_mode(), "wal");
}

// When another connection has the store open (a running server), the command line's import stays in WAL.
TEST_P(KpiServiceTest, AnExclusiveImportStaysInWalWhileAnotherConnectionHasTheStoreOpen) {
  KpiService service(database(), clock_);
  auto other = acquire();
  ASSERT_TRUE(is_ok(other->query_one("SELECT COUNT(*) FROM units")));
  std::string rows;
  for (int index = 0; index < 9000; ++index) rows += "G" + std::to_string(index) + ",1.1,C,2,2025-08-01,,,,,,,,,,,S1\n";
  auto imported = import(service, rows, StoreAccess::exclusive);
  ASSERT_TRUE(is_ok(imported));
  EXPECT_EQ(imported->created, 9000u);
  auto count = other->query_one("SELECT COUNT(*) FROM kpi_dossiers");
  ASSERT_TRUE(is_ok(count));
  EXPECT_EQ((*count)->integer(0), 9000);
  if (is_postgresql()) return;
  EXPECT_GT(store_file_and_wal_size().second, 100u * 4096u);  // the new pages went through the WAL
  auto mode = other->query_one("PRAGMA journal_mode");
  ASSERT_TRUE(is_ok(mode));
  EXPECT_EQ((*mode)->text(0), "wal");
}

TEST_P(KpiServiceTest, JsonLinesCarryTheSameFields) {
  KpiService service(database(), clock_);
  std::istringstream input(
      R"({"MaHoSo":"J1","MaTTHC":"1.1","MaDonVi":"C","KenhThucHien":2,"NgayTiepNhan":"2025-08-01T09:00:00+07:00","MaNguoiNop":"S1"})"
      "\n\n"
      R"({"MaHoSo":"J2","MaTTHC":"1.1","MaDonVi":"C","KenhThucHien":1,"NgayTiepNhan":"01/08/2025"})"
      "\n"
      "not json\n"
      R"({"MaHoSo":"J3","MaDonVi":"C","KenhThucHien":7,"NgayTiepNhan":"01/08/2025"})"
      "\n"
      R"({"MaHoSo":"J4","MaDonVi":"C","KenhThucHien":2,"NgayTiepNhan":"01/08/2025","MaNguoiNop":"S2\nS3"})"
      "\n");
  auto report = service.import_dossiers(input);
  ASSERT_TRUE(is_ok(report));
  EXPECT_EQ(report->created, 2u);
  ASSERT_EQ(report->rejected_count, 3u);
  EXPECT_EQ(report->rejected[0].line, 4u);
  EXPECT_EQ(report->rejected[1].line, 5u);
  EXPECT_EQ(report->rejected[1].field, "KenhThucHien");
  // One submitter per line in kpi_daily_submitters: a line feed inside MaNguoiNop would count as two.
  EXPECT_EQ(report->rejected[2].line, 6u);
  EXPECT_EQ(report->rejected[2].field, "MaNguoiNop");
  auto commune = service.report("C", day("2025-08-01"), day("2025-08-31"));
  ASSERT_TRUE(is_ok(commune));
  expect_ratio(indicator(*commune, "online_rate"), 1, 2);
}

// Generated rows: every indicator of every unit equals plain SQL over the stored dossiers.
TEST_P(KpiServiceTest, CountersAgreeWithPlainSqlOnGeneratedRows) {
  KpiService service(database(), clock_);
  GeneratorOptions options;
  options.rows = 3000;
  options.unit_codes = {"C", "E", "F", "D"};
  options.procedures = {{"1.1", true}, {"1.2", false}, {"1.3", false}, {"7.7", false}};
  options.first_day = day("2025-01-01");
  options.last_day = day("2025-12-31");
  options.seed = 42;
  std::stringstream generated;
  generate_dossiers(options, generated);
  auto imported = service.import_dossiers(generated);
  ASSERT_TRUE(is_ok(imported));
  EXPECT_EQ(imported->created, 3000u);
  EXPECT_EQ(imported->rejected_count, 0u);

  units::UnitService units(database(), clock_);
  auto connection = acquire();
  struct Case {
    const char* unit;
    const char* from;
    const char* to;
  };
  for (const auto& [code, from_text, to_text] : std::vector<Case>{{"C", "2025-01-01", "2025-12-31"},
                                                                   {"F", "2025-03-17", "2025-09-02"},
                                                                   {"D", "2025-02-01", "2025-02-28"},
                                                                   {"D", "2025-06-30", "2025-07-01"},
                                                                   {"P", "2025-01-01", "2025-12-31"}}) {
    SCOPED_TRACE(std::string(code) + " " + from_text + ".." + to_text);
    const DayNumber from = day(from_text), to = day(to_text);
    auto unit = units.find(code, to_text);
    ASSERT_TRUE(is_ok(unit));
    auto ids = units.subtree_ids(unit->id, to_text);
    ASSERT_TRUE(is_ok(ids));
    std::string in_list;
    for (auto id : *ids) in_list += (in_list.empty() ? "" : ",") + std::to_string(id);
    const std::int64_t end_of_period = start_of_local_day(to + 1);
    auto row = connection->query_one(
        "SELECT COUNT(*), "
        "SUM(CASE WHEN channel = 2 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN channel = 2 AND p.online_level = 2 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN due_at IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN due_at IS NOT NULL AND ((finished_at IS NOT NULL AND finished_at <= due_at AND "
        "COALESCE(supplements, 0) <= 1) OR (finished_at IS NULL AND $3 <= due_at)) THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN d.has_fees = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN d.has_fees = 1 AND payment IN (1, 2) THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN digitized = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN finished_at IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN finished_at IS NOT NULL AND electronic_result = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN channel = 2 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN channel = 2 AND vneid = 1 THEN 1 ELSE 0 END), "
        "COUNT(DISTINCT CASE WHEN channel = 2 THEN submitter END) "
        "FROM kpi_dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code "
        "WHERE d.received_day BETWEEN $1 AND $2 AND d.unit_id IN (" + in_list + ")",
        {from, to, end_of_period});
    ASSERT_TRUE(is_ok(row));
    ASSERT_TRUE(row->has_value());
    const auto& sql = **row;
    ASSERT_GT(sql.integer(0), 0);
    auto report = service.report(code, from, to);
    ASSERT_TRUE(is_ok(report));
    expect_ratio(indicator(*report, "online_rate"), sql.integer(1), sql.integer(0));
    expect_ratio(indicator(*report, "full_online_rate"), sql.integer(2), sql.integer(0));
    expect_ratio(indicator(*report, "on_time_rate"), sql.integer(4), sql.integer(3));
    expect_ratio(indicator(*report, "online_payment_rate"), sql.integer(6), sql.integer(5));
    expect_ratio(indicator(*report, "digitized_rate"), sql.integer(7), sql.integer(0));
    expect_ratio(indicator(*report, "e_result_rate"), sql.integer(9), sql.integer(8));
    expect_ratio(indicator(*report, "vneid_rate"), sql.integer(11), sql.integer(10));
    EXPECT_EQ(indicator(*report, "adult_usage_rate").numerator, sql.integer(12));
  }
}

// The 766 estimate on the hand-checked data, every point worked out by hand from D's 2025 ratios (see the test
// above): on time 3/6 → 20 × 0.5 = 10; FULL 1/2 → 2 × 0.5/0.8 = 1.25; online 5/8 → 6 × min(1, 0.625/0.5) = 6;
// e-result 3/5 → 6 × 0.6 = 3.6; digitised 3/8 → 2 × 0.375/0.8 = 0.9375; VNeID 3 of 8 received → 2 × 0.375 = 0.75;
// paid online 3/4 → 6 × 0.75 = 4.5. Sum 27.0375 of the 44 points those components carry; 100 in all.
TEST_P(KpiServiceTest, Index766EstimateFollowsTheCurvesAndTheStoredOverrides) {
  KpiService service(database(), clock_);
  ASSERT_TRUE(is_ok(import(service, hand_checked_dossiers)));
  auto district = service.report("D", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(district));
  auto curves = service.scoring_curves();
  ASSERT_TRUE(is_ok(curves));
  EXPECT_TRUE(curves->empty());
  auto estimate = estimate_index766(*district, *curves);
  EXPECT_NEAR(estimate.points, 27.0375, 1e-9);
  EXPECT_DOUBLE_EQ(estimate.estimated_maximum, 44);
  EXPECT_DOUBLE_EQ(estimate.maximum, 100);
  std::size_t not_estimated = 0;
  for (const auto& item : estimate.components) {
    if (!item.points) ++not_estimated;
    if (item.component.code == "CITIZEN_DATA_CONNECTED_DOSSIER") {
      EXPECT_EQ(item.numerator, 3);
      EXPECT_EQ(item.denominator, 8);
    }
  }
  EXPECT_EQ(not_estimated, 14u);  // 13 never estimated, and PAKN on time (no feedback answered)

  // An operator's curve replaces the default: online dossiers linear (full only at 100 %): 6 × 0.625 = 3.75.
  auto connection = acquire();
  ASSERT_TRUE(is_ok(connection->execute(
      "INSERT INTO kpi_index766_curves (component, max_points, full_at) VALUES ('ONLINE_DOSSIERS', 6, 1)")));
  curves = service.scoring_curves();
  ASSERT_TRUE(is_ok(curves));
  ASSERT_EQ(curves->size(), 1u);
  EXPECT_NEAR(estimate_index766(*district, *curves).points, 27.0375 - 6 + 3.75, 1e-9);

  // A commune with no dossier: only the catalogue-wide FULL component has a ratio.
  auto empty = service.report("E", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(empty));
  auto empty_estimate = estimate_index766(*empty, {});
  EXPECT_NEAR(empty_estimate.points, 1.25, 1e-9);
  EXPECT_DOUBLE_EQ(empty_estimate.estimated_maximum, 2);

  http::Router router;
  register_kpi_routes(router, service);
  http::Request request;
  request.path = "/api/v1/kpi/index766";
  request.query = {{"unit", "D"}, {"from", "2025-01-01"}, {"to", "2025-12-31"}};
  auto match = router.match(http::Method::get, request.path);
  ASSERT_NE(match.route, nullptr);
  auto answer = match.route->handler(request);
  EXPECT_EQ(answer.status, 200);
  EXPECT_NE(answer.body.find(R"("estimate":true)"), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find(R"("points":24.79,)"), std::string::npos) << answer.body;  // 24.7875 → 24.79
  request.path = "/chi-so";
  request.query = {{"unit", "D"}, {"from", "2025-01-01"}, {"to", "2025-12-31"}};
  auto page = router.match(http::Method::get, request.path).route->handler(request);
  EXPECT_NE(page.body.find("Ước tính điểm Bộ chỉ số 766 (không phải điểm chính thức)"), std::string::npos);
  EXPECT_NE(page.body.find("24,79 / 44,00"), std::string::npos) << page.body;
}

// Counts computed straight from the stored dossiers with plain SQL, for comparing with the counters in memory.
struct DirectCounts {
  std::int64_t received = 0, online = 0, full_online = 0, with_due = 0, on_time = 0, with_fees = 0, paid_online = 0,
               digitized = 0, finished = 0, electronic_result = 0, online_vneid = 0, online_submitters = 0;
};

// The ids of the units whose dossiers count under `code` on `to`, found through UnitService (not the KPI code):
// a unit counts when one of the units carrying it on as of `to` is in `code`'s subtree.
std::vector<std::int64_t> counted_unit_ids(units::UnitService& units, const std::string& code, const std::string& to) {
  auto unit = units.find(code, to);
  EXPECT_TRUE(is_ok(unit));
  auto subtree = units.subtree_ids(unit->id, to);
  EXPECT_TRUE(is_ok(subtree));
  std::vector<std::int64_t> ids;
  for (const char* candidate : {"P", "D", "A", "B", "C", "E", "F"}) {
    auto carriers = units.successors_as_of(candidate, to);
    EXPECT_TRUE(is_ok(carriers));
    for (const auto& carrier : *carriers) {
      auto carrier_unit = units.find(carrier, to);
      EXPECT_TRUE(is_ok(carrier_unit));
      if (std::find(subtree->begin(), subtree->end(), carrier_unit->id) != subtree->end()) {
        auto own = units.find(candidate, "2025-01-01");
        if (!is_ok(own)) own = units.find(candidate, to);
        EXPECT_TRUE(is_ok(own));
        ids.push_back(own->id);
        break;
      }
    }
  }
  return ids;
}

DirectCounts direct_counts(storage::Connection& connection, const std::vector<std::int64_t>& unit_ids, DayNumber from,
                           DayNumber to) {
  DirectCounts counts;
  if (unit_ids.empty()) return counts;
  std::string in_list;
  for (auto id : unit_ids) in_list += (in_list.empty() ? "" : ",") + std::to_string(id);
  auto row = connection.query_one(
      "SELECT COUNT(*), "
      "SUM(CASE WHEN channel = 2 THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN channel = 2 AND p.online_level = 2 THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN due_at IS NOT NULL THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN due_at IS NOT NULL AND ((finished_at IS NOT NULL AND finished_at <= due_at AND "
      "COALESCE(supplements, 0) <= 1) OR (finished_at IS NULL AND $3 <= due_at)) THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN d.has_fees = 1 THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN d.has_fees = 1 AND payment IN (1, 2) THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN digitized = 1 THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN finished_at IS NOT NULL THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN finished_at IS NOT NULL AND electronic_result = 1 THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN channel = 2 AND vneid = 1 THEN 1 ELSE 0 END), "
      "COUNT(DISTINCT CASE WHEN channel = 2 THEN submitter END) "
      "FROM kpi_dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code "
      "WHERE d.received_day BETWEEN $1 AND $2 AND d.unit_id IN (" + in_list + ")",
      {from, to, start_of_local_day(to + 1)});
  EXPECT_TRUE(is_ok(row));
  if (!is_ok(row) || !row->has_value()) return counts;
  const auto& sql = **row;
  counts = {sql.integer(0), sql.integer(1), sql.integer(2), sql.integer(3), sql.integer(4),  sql.integer(5),
            sql.integer(6), sql.integer(7), sql.integer(8), sql.integer(9), sql.integer(10), sql.integer(11)};
  return counts;
}

// Random periods and units, before and after a re-import that changes a tenth of the dossiers: every indicator from
// the counters in memory equals plain SQL over the stored rows; a second service instance (another process) that
// had read the counters before the re-import sees the new ones; the ranking agrees unit by unit.
TEST_P(KpiServiceTest, FastPathAgreesWithDirectSqlOnRandomPeriods) {
  KpiService service(database(), clock_);
  KpiService other_process(database(), clock_);
  GeneratorOptions options;
  options.rows = 4000;
  options.unit_codes = {"A", "B", "C", "D", "E", "F"};
  options.procedures = {{"1.1", true}, {"1.2", false}, {"1.3", false}, {"7.7", false}};
  options.first_day = day("2025-01-01");
  options.last_day = day("2025-12-31");
  options.seed = 77;
  std::stringstream generated;
  generate_dossiers(options, generated);
  ASSERT_TRUE(is_ok(service.import_dossiers(generated)));
  ASSERT_TRUE(is_ok(other_process.report("P", day("2025-01-01"), day("2025-12-31"))));

  units::UnitService units(database(), clock_);
  auto connection = acquire();
  std::mt19937 random(2025);
  auto check_random_periods = [&](int cases) {
    for (int index = 0; index < cases; ++index) {
      DayNumber from = day("2024-12-25") + DayNumber(random() % 380);
      DayNumber to = from + DayNumber(random() % 3 == 0 ? random() % 3 : random() % 200);
      const std::string to_text = iso_from_day(to);
      std::vector<std::string> valid{"P", "D", "E", "F"};
      for (const char* code : {"A", "B"}) {
        if (to < day("2025-07-01")) valid.push_back(code);
      }
      if (to >= day("2025-07-01")) valid.push_back("C");
      const std::string code = valid[random() % valid.size()];
      SCOPED_TRACE(code + " " + iso_from_day(from) + ".." + to_text);
      auto expected = direct_counts(*connection, counted_unit_ids(units, code, to_text), from, to);
      for (KpiService* instance : {&service, &other_process}) {
        auto report = instance->report(code, from, to);
        ASSERT_TRUE(is_ok(report));
        expect_ratio(indicator(*report, "online_rate"), expected.online, expected.received);
        expect_ratio(indicator(*report, "full_online_rate"), expected.full_online, expected.received);
        expect_ratio(indicator(*report, "on_time_rate"), expected.on_time, expected.with_due);
        expect_ratio(indicator(*report, "online_payment_rate"), expected.paid_online, expected.with_fees);
        expect_ratio(indicator(*report, "digitized_rate"), expected.digitized, expected.received);
        expect_ratio(indicator(*report, "e_result_rate"), expected.electronic_result, expected.finished);
        expect_ratio(indicator(*report, "vneid_rate"), expected.online_vneid, expected.online);
        EXPECT_EQ(indicator(*report, "adult_usage_rate").numerator, expected.online_submitters);
      }
    }
  };
  check_random_periods(25);
  // The province's year, asked twice (the second time from the counts remembered for this revision), and again
  // after the re-import below: always plain SQL's count.
  auto expect_province_year = [&]() -> std::int64_t {
    auto expected = direct_counts(*connection, counted_unit_ids(units, "P", "2025-12-31"), day("2025-01-01"),
                                  day("2025-12-31"));
    for (int repeat = 0; repeat < 2; ++repeat) {
      auto report = service.report("P", day("2025-01-01"), day("2025-12-31"));
      EXPECT_TRUE(is_ok(report));
      if (is_ok(report)) EXPECT_EQ(indicator(*report, "adult_usage_rate").numerator, expected.online_submitters);
    }
    return expected.online_submitters;
  };
  const auto province_before = expect_province_year();

  // The communes' ranking of the period checked below, asked of `service` before the re-import too: what it
  // remembers must not outlive the import.
  ASSERT_TRUE(is_ok(service.ranking("adult_usage_rate", day("2025-02-01"), day("2025-11-30"), "commune")));

  // A later export: the first 400 dossiers again with other contents (another seed), and 100 new ones.
  options.rows = 500;
  options.seed = 78;
  std::stringstream changed;
  generate_dossiers(options, changed);
  std::string text = changed.str();
  for (std::size_t position = text.find("\nHS000000"); position != std::string::npos;
       position = text.find("\nHS000000", position + 1)) {
    if (std::stoi(text.substr(position + 3, 9)) > 400) text.replace(position + 1, 2, "HN");  // new codes
  }
  std::istringstream changed_input(text);
  auto reimported = service.import_dossiers(changed_input);
  ASSERT_TRUE(is_ok(reimported));
  EXPECT_EQ(reimported->replaced, 400u);
  EXPECT_EQ(reimported->created, 100u);
  check_random_periods(25);
  EXPECT_NE(expect_province_year(), province_before);  // the re-import changed it; nothing stale was answered
  // The submitters per unit and day that both imports kept up to date are exactly what a recount writes.
  const std::string kept = stored_submitters(*connection);
  EXPECT_GT(kept.size(), 1000u);
  ASSERT_TRUE(is_ok(service.recount()));
  EXPECT_EQ(stored_submitters(*connection), kept);

  for (KpiService* instance : {&other_process, &service}) {
    auto usage = instance->ranking("adult_usage_rate", day("2025-02-01"), day("2025-11-30"), "commune");
    ASSERT_TRUE(is_ok(usage));
    ASSERT_EQ(usage->entries.size(), 3u);
    for (const auto& entry : usage->entries) {
      SCOPED_TRACE(entry.unit.code);
      auto expected = direct_counts(*connection, counted_unit_ids(units, entry.unit.code, "2025-11-30"),
                                    day("2025-02-01"), day("2025-11-30"));
      EXPECT_EQ(entry.indicator.numerator, expected.online_submitters);
    }
  }

  auto ranking = other_process.ranking("on_time_rate", day("2025-03-10"), day("2025-10-20"), "commune");
  ASSERT_TRUE(is_ok(ranking));
  ASSERT_EQ(ranking->entries.size(), 3u);  // C, E, F
  for (const auto& entry : ranking->entries) {
    SCOPED_TRACE(entry.unit.code);
    auto expected = direct_counts(*connection, counted_unit_ids(units, entry.unit.code, "2025-10-20"),
                                  day("2025-03-10"), day("2025-10-20"));
    expect_ratio(entry.indicator, expected.on_time, expected.with_due);
  }
}

// The routes answer from the service: JSON in the documented shape, the dashboard with its SVG charts, CSV.
TEST_P(KpiServiceTest, RoutesAnswerJsonPagesAndCsv) {
  KpiService service(database(), clock_);
  ASSERT_TRUE(is_ok(import(service, hand_checked_dossiers)));
  http::Router router;
  register_kpi_routes(router, service);
  auto call = [&](const std::string& path, std::multimap<std::string, std::string> query) {
    http::Request request;
    request.path = path;
    request.query = std::move(query);
    auto match = router.match(http::Method::get, path);
    EXPECT_NE(match.route, nullptr) << path;
    return match.route->handler(request);
  };
  auto answer = call("/api/v1/kpi", {{"unit", "D"}, {"from", "2025-01-01"}, {"to", "31/12/2025"}});
  EXPECT_EQ(answer.status, 200);
  EXPECT_NE(answer.body.find(R"("full_online_rate":{"label":)"), std::string::npos) << answer.body;
  // Numbers in their shortest round-trip form, in every KPI answer.
  EXPECT_NE(answer.body.find(R"("numerator":3,"denominator":8,"value":0.375,"target":0.8,"met":false)"),
            std::string::npos) << answer.body;
  EXPECT_EQ(answer.body.find("E-"), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find(R"("e_result_rate":{"label":)"), std::string::npos);
  EXPECT_EQ(call("/api/v1/kpi", {{"from", "2025-01-01"}}).status, 400);
  EXPECT_EQ(call("/api/v1/kpi", {{"unit", "NOPE"}}).status, 404);
  EXPECT_EQ(call("/api/v1/kpi", {{"unit", "D"}, {"to", "32/13/2025"}}).status, 400);
  auto ranking = call("/api/v1/kpi/ranking", {{"indicator", "online_rate"}, {"from", "2025-01-01"}, {"to", "2025-12-31"}});
  EXPECT_EQ(ranking.status, 200);
  // The ranking is written straight into its answer: it must still read as the documented JSON, what every unit
  // shares once, then one array per unit in the order of "columns".
  auto parsed = json::parse_object(ranking.body);
  ASSERT_TRUE(parsed.has_value()) << ranking.body;
  EXPECT_EQ(std::string(parsed->at("indicator").as_string()), "online_rate");
  EXPECT_EQ(std::string(parsed->at("label").as_string()), indicator_label("online_rate"));
  EXPECT_EQ(std::string(parsed->at("kind").as_string()), "commune");
  EXPECT_EQ(std::string(parsed->at("from").as_string()), "2025-01-01");
  EXPECT_TRUE(parsed->at("target").is_null());
  EXPECT_EQ(parsed->at("unit_count").to_number<std::int64_t>(), 3);
  EXPECT_EQ(parsed->at("offset").to_number<std::int64_t>(), 0);
  EXPECT_EQ(json::serialize(parsed->at("columns")),
            R"(["rank","code","name","numerator","denominator","value","met"])");
  const auto& units = parsed->at("units").as_array();
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(std::string(units[0].as_array()[1].as_string()), "F");
  const auto& second = units[1].as_array();
  ASSERT_EQ(second.size(), 7u);
  EXPECT_EQ(second[0].to_number<std::int64_t>(), 2);
  EXPECT_EQ(std::string(second[1].as_string()), "C");
  EXPECT_EQ(std::string(second[2].as_string()), "Xã C");
  EXPECT_EQ(second[3].to_number<std::int64_t>(), 4);
  EXPECT_EQ(second[4].to_number<std::int64_t>(), 7);
  EXPECT_EQ(second[5].to_number<double>(), 4.0 / 7.0);
  EXPECT_TRUE(second[6].is_null());
  EXPECT_NE(ranking.body.find(R"([2,"C","Xã C",4,7,0.5714285714285714,null])"), std::string::npos) << ranking.body;
  EXPECT_TRUE(units[2].as_array()[5].is_null());
  // With a target: the target once, and whether each unit met it.
  auto targeted = call("/api/v1/kpi/ranking",
                       {{"indicator", "full_online_rate"}, {"from", "2025-01-01"}, {"to", "2025-12-31"}});
  auto targeted_parsed = json::parse_object(targeted.body);
  ASSERT_TRUE(targeted_parsed.has_value()) << targeted.body;
  EXPECT_EQ(targeted_parsed->at("target").to_number<double>(), 0.8);
  EXPECT_TRUE(targeted_parsed->at("units").as_array()[0].as_array()[6].is_bool()) << targeted.body;
  auto top = call("/api/v1/kpi/ranking",
                  {{"indicator", "online_rate"}, {"from", "2025-01-01"}, {"to", "2025-12-31"}, {"limit", "1"}});
  EXPECT_EQ(top.status, 200);
  EXPECT_NE(top.body.find(R"("F")"), std::string::npos) << top.body;
  EXPECT_EQ(top.body.find(R"("C")"), std::string::npos) << top.body;
  auto ranking_page = call("/api/v1/kpi/ranking", {{"indicator", "online_rate"}, {"from", "2025-01-01"},
                                                  {"to", "2025-12-31"}, {"offset", "1"}, {"limit", "1"}});
  EXPECT_EQ(ranking_page.status, 200);
  EXPECT_NE(ranking_page.body.find(R"("offset":1,)"), std::string::npos) << ranking_page.body;
  EXPECT_NE(ranking_page.body.find(R"("units":[[2,"C",)"), std::string::npos) << ranking_page.body;
  EXPECT_EQ(ranking_page.body.find(R"("F")"), std::string::npos) << ranking_page.body;
  EXPECT_EQ(call("/api/v1/kpi/ranking", {{"indicator", "online_rate"}, {"limit", "0"}}).status, 400);
  EXPECT_EQ(call("/api/v1/kpi/ranking", {{"indicator", "online_rate"}, {"offset", "-1"}}).status, 400);
  EXPECT_EQ(call("/api/v1/kpi/ranking", {{"indicator", "online_rate"}, {"offset", "x"}}).status, 400);
  auto series = call("/api/v1/kpi/series",
                     {{"unit", "C"}, {"indicator", "online_rate"}, {"from", "2025-01-01"}, {"to", "2025-12-31"}});
  EXPECT_EQ(series.status, 200);
  EXPECT_NE(series.body.find(R"("from":"2025-12-01","to":"2025-12-31")"), std::string::npos) << series.body;
  EXPECT_EQ(call("/api/v1/kpi/series", {{"unit", "C"}, {"indicator", "online_rate"}, {"step", "week"}}).status, 400);
  auto page = call("/chi-so", {{"from", "2025-01-01"}, {"to", "2025-12-31"}});  // the top-level unit: P
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Tỉnh P"), std::string::npos);
  EXPECT_NE(page.body.find("<svg class=\"kpi-chart\""), std::string::npos);
  EXPECT_NE(page.body.find("<polyline points=\""), std::string::npos);
  EXPECT_NE(page.body.find("66,7 %"), std::string::npos);  // P's online rate 6/9
  auto csv = call("/chi-so/chi-so.csv", {{"unit", "D"}, {"from", "2025-01-01"}, {"to", "2025-12-31"}});
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find(R"("D","2025-01-01","2025-12-31","full_online_rate",)"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find(R"("3","8","0.375000","0.800000","0")" "\r\n"), std::string::npos) << csv.body;
  auto ranking_csv = call("/chi-so/xep-hang.csv", {{"indicator", "online_rate"}, {"from", "2025-01-01"},
                                                   {"to", "2025-12-31"}});
  EXPECT_NE(ranking_csv.body.find(R"("2","C","Xã C","online_rate","4","7","0.571429")"), std::string::npos)
      << ranking_csv.body;
  auto monthly = call("/chi-so/theo-thang.csv", {{"unit", "C"}, {"indicator", "online_rate"}, {"from", "2025-01-01"},
                                                 {"to", "2025-12-31"}});
  EXPECT_NE(monthly.body.find(R"("C","online_rate","2025-12-01","2025-12-31","1","2","0.500000",)"),
            std::string::npos) << monthly.body;
  // The same tables as XLSX workbooks (a ZIP container).
  for (const char* path : {"/chi-so/chi-so.xlsx", "/chi-so/xep-hang.xlsx", "/chi-so/theo-thang.xlsx"}) {
    auto workbook = call(path, {{"unit", "D"}, {"from", "2025-01-01"}, {"to", "2025-12-31"}});
    EXPECT_EQ(workbook.status, 200) << path;
    EXPECT_EQ(workbook.body.substr(0, 2), "PK") << path;
    EXPECT_NE(workbook.headers.get("Content-Type").value_or("").find("spreadsheetml"), std::string::npos) << path;
  }
  EXPECT_EQ(call("/chi-so/xep-hang.xlsx", {{"indicator", "nope"}}).status, 400);

  // The staff drill-down: D, then its children on 31/12 (C, E; A and B have ended), each with every indicator.
  auto breakdown = service.breakdown("D", day("2025-01-01"), day("2025-12-31"), 0, 50);
  ASSERT_TRUE(is_ok(breakdown));
  ASSERT_EQ(breakdown->child_count, 2u);
  ASSERT_EQ(breakdown->children.size(), 2u);
  EXPECT_EQ(breakdown->children[0].unit.code, "C");
  EXPECT_EQ(breakdown->children[1].unit.code, "E");
  expect_ratio(indicator(breakdown->children[0], "online_rate"), 4, 7);
  expect_ratio(indicator(breakdown->children[1], "online_rate"), 0, 0);
  expect_ratio(indicator(breakdown->unit, "online_rate"), 5, 8);
  ASSERT_EQ(breakdown->path.size(), 1u);
  EXPECT_EQ(breakdown->path[0].code, "P");
  auto second_page = service.breakdown("D", day("2025-01-01"), day("2025-12-31"), 1, 50);
  ASSERT_TRUE(is_ok(second_page));
  ASSERT_EQ(second_page->children.size(), 1u);
  EXPECT_EQ(second_page->children[0].unit.code, "E");
  EXPECT_EQ(router.match(http::Method::get, "/quan-tri/chi-so").route->options.access, http::Access::staff);
  auto drill = call("/quan-tri/chi-so", {{"unit", "D"}, {"from", "2025-01-01"}, {"to", "2025-12-31"},
                                         {"indicator", "online_rate"}});
  EXPECT_EQ(drill.status, 200);
  EXPECT_NE(drill.body.find("/quan-tri/chi-so?unit=C&amp;"), std::string::npos) << drill.body;
  EXPECT_NE(drill.body.find("Xã E"), std::string::npos);
  EXPECT_NE(drill.body.find("57,1 %"), std::string::npos);  // C's online rate 4/7
  EXPECT_NE(drill.body.find("<td>12/2025</td>"), std::string::npos);  // D's monthly table
  EXPECT_EQ(call("/quan-tri/chi-so", {{"unit", "NOPE"}}).status, 404);
  EXPECT_EQ(call("/quan-tri/chi-so", {{"unit", "D"}, {"page", "0"}}).status, 400);
  auto children_csv = call("/quan-tri/chi-so/don-vi-truc-thuoc.csv", {{"unit", "D"}, {"from", "2025-01-01"},
                                                                       {"to", "2025-12-31"}});
  EXPECT_NE(children_csv.body.find(R"("C","Xã C","0.571429","4","7",)"), std::string::npos) << children_csv.body;
  EXPECT_EQ(router.match(http::Method::get, "/quan-tri/chi-so/don-vi-truc-thuoc.xlsx").route->options.access,
            http::Access::staff);
}

// Feedback and survey figures, worked out by hand. Every step goes through the feedback module's own services, at
// the clock times given (Vietnam time):
//   K1 10/03/2025 to A: answered the same day (on time), published, rated satisfied.
//   K2 08/09/2025 to C: classified that day, answered on 20/10 (past its 15 working days: late), published, rated
//      not satisfied (which re-opens it; it stays answered).
//   K3 08/09/2025 to F: answered the same day, published, not rated.
//   K4 08/09/2025 to D itself: classified, not answered.
//   K5 05/01/2026 to E: answered on time, outside 2025.
//   K6 08/09/2025 without a unit: never counted under a unit.
// Surveys (satisfied = overall 4 or 5; land, construction and investment fields are held to 85 %):
//   S1 10/03/2025 A "Hộ tịch" 5; S2 08/09 C "Đất đai" 4; S3 08/09 C "Đất đai" 3; S4 08/09 C "Xây dựng" 2;
//   S5 08/09 F "Đầu tư" 5; S6 31/12/2025 23:53 D no field 1; S7 01/01/2026 00:10 E "Đất đai" 5; S8 08/09 no unit 5.
class KpiFeedbackTest : public KpiServiceTest {
 protected:
  static TimePoint vietnam_time(int year, unsigned month, unsigned day, int hour, int minute = 0) {
    using namespace std::chrono;
    return TimePoint(sys_days(std::chrono::year(year) / month / day).time_since_epoch() + hours(hour) +
                     minutes(minute) - vietnam_utc_offset);
  }

  void SetUp() override {
    KpiServiceTest::SetUp();
    if (HasFatalFailure()) return;
    units_ = std::make_unique<units::UnitService>(database(), clock_);
    calendar_ = std::make_unique<calendar::WorkingCalendar>(database(), clock_);
    ASSERT_TRUE(is_ok(calendar_->seed_statutory_holidays(2025, 2026, actor_)));
    feedback_ = std::make_unique<feedback::FeedbackService>(database(), *units_, *calendar_, clock_);
    surveys_ = std::make_unique<feedback::SurveyService>(database(), *units_, clock_);
  }
  void TearDown() override {
    surveys_.reset();
    feedback_.reset();
    calendar_.reset();
    units_.reset();
    KpiServiceTest::TearDown();
  }

  // Submits an item to `unit` ("" none) now; returns its id and tracking code.
  std::pair<std::int64_t, std::string> submit(const std::string& unit) {
    feedback::Submission submission;
    submission.kind = "complaint";
    submission.subject = "procedure";
    submission.title = "Hồ sơ trễ hẹn";
    submission.body = "Hồ sơ của tôi chưa có kết quả.";
    submission.unit_code = unit;
    submission.consent_publish = true;
    auto receipt = feedback_->submit(submission, actor_);
    EXPECT_TRUE(is_ok(receipt));
    if (!is_ok(receipt)) return {0, ""};
    return {receipt->id, receipt->tracking_code};
  }

  void step(std::int64_t id, feedback::Step step, const std::string& unit = "", const std::string& text = "") {
    EXPECT_TRUE(is_ok(feedback_->take_step(id, {step, unit, text}, coordinator_, actor_)));
  }

  // Classifies into `unit`, drafts, approves and publishes now.
  void answer(std::int64_t id, const std::string& unit) {
    step(id, feedback::Step::classify, unit);
    step(id, feedback::Step::draft, "", "Đã giải quyết.");
    step(id, feedback::Step::approve);
    step(id, feedback::Step::publish);
  }

  void respond(const std::string& unit, const std::string& field, std::int64_t overall) {
    feedback::SurveyAnswer answer;
    answer.overall = overall;
    answer.unit_code = unit;
    answer.field = field;
    EXPECT_TRUE(is_ok(surveys_->respond(answer, actor_)));
  }

  void build_hand_checked_data() {
    clock_.set(vietnam_time(2025, 3, 10, 9));
    auto [k1, k1_code] = submit("A");
    answer(k1, "A");
    EXPECT_TRUE(is_ok(feedback_->rate(k1_code, true, "", actor_)));
    respond("A", "Hộ tịch", 5);

    clock_.set(vietnam_time(2025, 9, 8, 9));
    auto [k2, k2_code] = submit("C");
    step(k2, feedback::Step::classify, "C");
    auto [k3, k3_code] = submit("F");
    answer(k3, "F");
    auto [k4, k4_code] = submit("D");
    step(k4, feedback::Step::classify, "D");
    submit("");
    respond("C", "Đất đai", 4);
    respond("C", "Đất đai", 3);
    respond("C", "Xây dựng", 2);
    respond("F", "Đầu tư", 5);
    respond("", "Đất đai", 5);

    clock_.set(vietnam_time(2025, 10, 20, 9));
    step(k2, feedback::Step::draft, "", "Đã giải quyết.");
    step(k2, feedback::Step::approve);
    step(k2, feedback::Step::publish);
    EXPECT_TRUE(is_ok(feedback_->rate(k2_code, false, "Chưa rõ", actor_)));

    clock_.set(vietnam_time(2025, 12, 31, 23, 53));
    respond("D", "", 1);
    clock_.set(vietnam_time(2026, 1, 1, 0, 10));
    respond("E", "Đất đai", 5);
    clock_.set(vietnam_time(2026, 1, 5, 9));
    auto [k5, k5_code] = submit("E");
    answer(k5, "E");
  }

  std::unique_ptr<units::UnitService> units_;
  std::unique_ptr<calendar::WorkingCalendar> calendar_;
  std::unique_ptr<feedback::FeedbackService> feedback_;
  std::unique_ptr<feedback::SurveyService> surveys_;
  http::Principal coordinator_ = [] {
    http::Principal principal;
    principal.user_id = 1;
    principal.username = "dieuphoi";
    principal.role = "coordinator";
    return principal;
  }();
};

TEST_P(KpiFeedbackTest, FeedbackAndSurveyIndicatorsMatchTheHandCheckedValues) {
  build_hand_checked_data();
  if (HasFailure()) return;
  KpiService service(database(), clock_);
  // D in 2025: items K1 (A, carried on by C), K2 (C), K4 (D); answered K1 K2, on time K1; ratings K1 (satisfied),
  // K2 (not). Responses S1 (A) S2 S3 S4 (C) S6 (D): satisfied S1 S2; land/construction/investment S2 S3 S4, of
  // them satisfied S2.
  auto district = service.report("D", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(district));
  expect_ratio(indicator(*district, "feedback_on_time_rate"), 1, 2);
  EXPECT_FALSE(indicator(*district, "feedback_on_time_rate").target.has_value());
  expect_ratio(indicator(*district, "feedback_satisfaction_rate"), 1, 2);
  expect_ratio(indicator(*district, "satisfaction_rate"), 2, 5);
  EXPECT_EQ(indicator(*district, "satisfaction_rate").target, 0.90);
  EXPECT_EQ(indicator(*district, "satisfaction_rate").met, false);
  expect_ratio(indicator(*district, "land_construction_investment_satisfaction_rate"), 1, 3);
  EXPECT_EQ(indicator(*district, "land_construction_investment_satisfaction_rate").target, 0.85);
  EXPECT_EQ(indicator(*district, "land_construction_investment_satisfaction_rate").met, false);

  // P adds F: K3 answered on time, not rated; S5 "Đầu tư" 5. S8 names no unit: never counted.
  auto province = service.report("P", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(province));
  expect_ratio(indicator(*province, "feedback_on_time_rate"), 2, 3);
  expect_ratio(indicator(*province, "feedback_satisfaction_rate"), 1, 2);
  expect_ratio(indicator(*province, "satisfaction_rate"), 3, 6);
  expect_ratio(indicator(*province, "land_construction_investment_satisfaction_rate"), 2, 4);

  // F alone meets both satisfaction targets (1/1).
  auto commune = service.report("F", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(commune));
  expect_ratio(indicator(*commune, "satisfaction_rate"), 1, 1);
  EXPECT_EQ(indicator(*commune, "satisfaction_rate").met, true);
  EXPECT_EQ(indicator(*commune, "land_construction_investment_satisfaction_rate").met, true);
  expect_ratio(indicator(*commune, "feedback_satisfaction_rate"), 0, 0);

  // A before the merge holds K1 and S1; E has nothing in 2025 but K5 and S7 in 2026 (S7 at 00:10 on 01/01/2026).
  auto before_merge = service.report("A", day("2025-01-01"), day("2025-03-31"));
  ASSERT_TRUE(is_ok(before_merge));
  expect_ratio(indicator(*before_merge, "feedback_on_time_rate"), 1, 1);
  expect_ratio(indicator(*before_merge, "satisfaction_rate"), 1, 1);
  auto quiet = service.report("E", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(quiet));
  expect_ratio(indicator(*quiet, "feedback_on_time_rate"), 0, 0);
  expect_ratio(indicator(*quiet, "satisfaction_rate"), 0, 0);
  auto next_year = service.report("E", day("2026-01-01"), day("2026-01-31"));
  ASSERT_TRUE(is_ok(next_year));
  expect_ratio(indicator(*next_year, "feedback_on_time_rate"), 1, 1);
  expect_ratio(indicator(*next_year, "land_construction_investment_satisfaction_rate"), 1, 1);

  // Ranking of communes by satisfaction: F 1/1, C 2/4 (S1 S2 of S1–S4), E none.
  auto whole = service.ranking("satisfaction_rate", day("2025-01-01"), day("2025-12-31"), "commune");
  ASSERT_TRUE(is_ok(whole));
  const auto* ranking = &whole->entries;
  ASSERT_EQ(ranking->size(), 3u);
  EXPECT_EQ((*ranking)[0].unit.code, "F");
  EXPECT_EQ((*ranking)[1].unit.code, "C");
  expect_ratio((*ranking)[1].indicator, 2, 4);
  EXPECT_FALSE((*ranking)[2].indicator.value.has_value());
  // C's monthly answered-on-time: March K1 1/1, September K2 0/1 (received in September, answered late).
  auto series = service.series("C", "feedback_on_time_rate", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(series));
  ASSERT_EQ(series->size(), 12u);
  expect_ratio((*series)[2].indicator, 1, 1);
  expect_ratio((*series)[8].indicator, 0, 1);
  expect_ratio((*series)[9].indicator, 0, 0);

  // The 766 estimate scores PAKN answered on time linearly: D 1/2 → 6 × 0.5 = 3 more points than without feedback.
  auto estimate = estimate_index766(*district, {});
  for (const auto& item : estimate.components) {
    if (item.component.code != "PETITION_PROCESSING_ON_TIME") continue;
    ASSERT_TRUE(item.points.has_value());
    EXPECT_DOUBLE_EQ(*item.points, 3.0);
  }
}

// Generated feedback (the feedback module's generator, ratings through its service) and random survey responses:
// every feedback indicator equals plain SQL over the stored items, ratings and responses, for random units and
// periods; and, for units untouched by reorganisations, the feedback module's own statistics.
TEST_P(KpiFeedbackTest, FeedbackIndicatorsAgreeWithPlainSqlAndTheFeedbackModule) {
  std::vector<std::int64_t> unit_ids;
  for (const char* code : {"A", "B", "C", "D", "E", "F"}) {
    auto unit = units_->find(code, code == std::string("A") || code == std::string("B") ? "2025-01-01" : "2025-12-31");
    ASSERT_TRUE(is_ok(unit));
    unit_ids.push_back(unit->id);
  }
  feedback::FeedbackGeneratorOptions options;
  options.count = 1500;
  options.seed = 9;
  options.unit_ids = unit_ids;
  ASSERT_TRUE(is_ok(feedback::generate_feedback(database(), options)));
  auto connection = acquire();
  auto published = connection->query(
      "SELECT tracking_code FROM feedback_items WHERE status = 'published' ORDER BY id LIMIT 120");
  ASSERT_TRUE(is_ok(published));
  std::mt19937 random(5);
  for (const auto& row : *published) {
    ASSERT_TRUE(is_ok(feedback_->rate(row.text(0), random() % 3 != 0, "Chưa rõ", actor_)));
  }
  const std::vector<std::string> fields{"Hộ tịch", "Đất đai", "Xây dựng", "Đầu tư", "Tư pháp", ""};
  for (int index = 0; index < 150; ++index) {
    const DayNumber received = day("2025-01-01") + DayNumber(random() % 365);
    clock_.set(from_unix_seconds(start_of_local_day(received) + std::int64_t(random() % 86400)));
    std::vector<std::string> valid{"D", "E", "F", ""};
    for (const char* code : {"A", "B"}) {
      if (received < day("2025-07-01")) valid.push_back(code);
    }
    if (received >= day("2025-07-01")) valid.push_back("C");
    respond(valid[random() % valid.size()], fields[random() % fields.size()], std::int64_t(1 + random() % 5));
  }
  clock_.set(vietnam_time(2025, 12, 31, 23, 53));
  KpiService service(database(), clock_);

  for (int index = 0; index < 20; ++index) {
    const DayNumber from = day("2024-12-25") + DayNumber(random() % 380);
    const DayNumber to = from + DayNumber(random() % 3 == 0 ? random() % 3 : random() % 200);
    const std::string to_text = iso_from_day(to);
    std::vector<std::string> valid{"P", "D", "E", "F"};
    for (const char* code : {"A", "B"}) {
      if (to < day("2025-07-01")) valid.push_back(code);
    }
    if (to >= day("2025-07-01")) valid.push_back("C");
    const std::string code = valid[random() % valid.size()];
    SCOPED_TRACE(code + " " + iso_from_day(from) + ".." + to_text);
    const auto ids = counted_unit_ids(*units_, code, to_text);
    std::string in_list = "0";
    for (auto id : ids) in_list += "," + std::to_string(id);
    const storage::Parameters period{start_of_local_day(from), start_of_local_day(to + 1)};
    auto items = connection->query_one(
        "SELECT COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND answered_on_time = 1 THEN 1 ELSE 0 END), 0) "
        "FROM feedback_items WHERE received_at >= $1 AND received_at < $2 AND unit_id IN (" + in_list + ")",
        period);
    auto ratings = connection->query_one(
        "SELECT COUNT(*), COALESCE(SUM(r.satisfied), 0) FROM feedback_ratings r JOIN feedback_items i "
        "ON i.id = r.item_id WHERE i.received_at >= $1 AND i.received_at < $2 AND i.unit_id IN (" + in_list + ")",
        period);
    auto responses = connection->query_one(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN overall >= 4 THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN field IN ('Đất đai', 'Xây dựng', 'Đầu tư') THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN field IN ('Đất đai', 'Xây dựng', 'Đầu tư') AND overall >= 4 THEN 1 ELSE 0 END), 0) "
        "FROM survey_responses WHERE received_at >= $1 AND received_at < $2 AND unit_id IN (" + in_list + ")",
        period);
    ASSERT_TRUE(is_ok(items) && is_ok(ratings) && is_ok(responses));
    auto report = service.report(code, from, to);
    ASSERT_TRUE(is_ok(report));
    expect_ratio(indicator(*report, "feedback_on_time_rate"), (*items)->integer(1), (*items)->integer(0));
    expect_ratio(indicator(*report, "feedback_satisfaction_rate"), (*ratings)->integer(1), (*ratings)->integer(0));
    expect_ratio(indicator(*report, "satisfaction_rate"), (*responses)->integer(1), (*responses)->integer(0));
    expect_ratio(indicator(*report, "land_construction_investment_satisfaction_rate"), (*responses)->integer(3),
                 (*responses)->integer(2));
  }

  // E and F were never reorganised: the KPI figures equal the feedback module's statistics for them.
  for (const char* code : {"E", "F"}) {
    SCOPED_TRACE(code);
    using std::chrono::year;
    auto statistics = feedback_->statistics(code, year(2025) / 1 / 1, year(2025) / 12 / 31);
    auto surveys = surveys_->statistics(code, year(2025) / 1 / 1, year(2025) / 12 / 31);
    ASSERT_TRUE(is_ok(statistics) && is_ok(surveys));
    ASSERT_GT(statistics->answered, 0);
    auto report = service.report(code, day("2025-01-01"), day("2025-12-31"));
    ASSERT_TRUE(is_ok(report));
    expect_ratio(indicator(*report, "feedback_on_time_rate"), statistics->answered_on_time, statistics->answered);
    expect_ratio(indicator(*report, "feedback_satisfaction_rate"), statistics->satisfied, statistics->ratings);
    expect_ratio(indicator(*report, "satisfaction_rate"), surveys->overall.satisfied, surveys->overall.responses);
    std::int64_t demanding = 0, demanding_satisfied = 0;
    for (const auto& field : surveys->by_field) {
      if (!field.demanding_target) continue;
      demanding += field.overall.responses;
      demanding_satisfied += field.overall.satisfied;
    }
    expect_ratio(indicator(*report, "land_construction_investment_satisfaction_rate"), demanding_satisfied, demanding);
  }
}

// The staff upload page imports what it is sent (multipart/form-data) with the same rules as the CLI and lists the
// rejected rows; coordinators only.
TEST_P(KpiServiceTest, UploadPageImportsAndListsRejectedRows) {
  KpiService service(database(), clock_);
  catalogue::CatalogueService catalogue(database(), clock_);
  http::Router router;
  register_kpi_upload_routes(router, service, catalogue);
  auto match = router.match(http::Method::post, "/quan-tri/chi-so/nhap-du-lieu");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->options.access, http::Access::coordinator);
  EXPECT_EQ(router.match(http::Method::get, "/quan-tri/chi-so/nhap-du-lieu").route->options.access,
            http::Access::coordinator);
  auto post = [&](const std::string& kind, const std::string& file) {
    const std::string boundary = "----dvchubtest7MA4YWxkTrZu0gW";
    std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n" + kind + "\r\n";
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n" + file + "\r\n--" + boundary + "--\r\n";
    http::Request request;
    request.method = http::Method::post;
    request.path = "/quan-tri/chi-so/nhap-du-lieu";
    request.headers.set("Content-Type", "multipart/form-data; boundary=" + boundary);
    request.body = std::move(body);
    return match.route->handler(request);
  };
  auto dossiers = post("dossiers", std::string(dossier_header) + hand_checked_dossiers);
  EXPECT_EQ(dossiers.status, 200);
  EXPECT_NE(dossiers.body.find("Số dòng đã đọc: <strong>12</strong>"), std::string::npos) << dossiers.body;
  EXPECT_NE(dossiers.body.find("Được nhận: <strong>10</strong>"), std::string::npos);
  EXPECT_NE(dossiers.body.find("Bị từ chối: <strong>2</strong>"), std::string::npos);
  EXPECT_NE(dossiers.body.find("<tr><td>9</td><td>MaDonVi</td>"), std::string::npos) << dossiers.body;
  EXPECT_NE(dossiers.body.find("<tr><td>10</td><td>NgayTiepNhan</td>"), std::string::npos);
  EXPECT_NE(dossiers.body.find("<code>ZZ</code> (1 dòng)"), std::string::npos);
  EXPECT_NE(dossiers.body.find("<code>9.9</code> (1 dòng)"), std::string::npos);
  auto stored = service.has_dossier("H12");
  ASSERT_TRUE(is_ok(stored));
  EXPECT_TRUE(*stored);
  auto district = service.report("D", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(district));
  expect_ratio(indicator(*district, "online_rate"), 5, 8);

  auto population = post("population", "MaDonVi,Nam,DanSoTruongThanh\nD,2025,10\nD,năm,3\n");
  EXPECT_EQ(population.status, 200);
  EXPECT_NE(population.body.find("Được nhận: <strong>1</strong>"), std::string::npos) << population.body;
  EXPECT_NE(population.body.find("<tr><td>3</td><td>Nam</td>"), std::string::npos) << population.body;

  // A catalogue upload: 1.2 becomes toàn trình, so H2 (online, 1.2) now counts as full online (recounted).
  auto before = indicator(*district, "full_online_rate");
  auto procedures = post("catalogue",
                         "MaTTHC,TenTTHC,LinhVuc,CapThucHien,DuDieuKienToanTrinh,CungCapTrucTuyen,CoPhiLePhi\n"
                         "1.2,Thủ tục 2,,,1,2,1\n");
  EXPECT_EQ(procedures.status, 200) << procedures.body;
  EXPECT_NE(procedures.body.find("1 cập nhật"), std::string::npos) << procedures.body;
  auto after = service.report("D", day("2025-01-01"), day("2025-12-31"));
  ASSERT_TRUE(is_ok(after));
  EXPECT_EQ(indicator(*after, "full_online_rate").numerator, before.numerator + 1);

  EXPECT_EQ(post("units", "x").status, 400);
  EXPECT_EQ(post("dossiers", "MaHoSo,MaTTHC\nX,1.1\n").status, 400);  // not an export: nothing imported
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(KpiServiceTest);
DVCHUB_INSTANTIATE_BACKEND_TESTS(KpiFeedbackTest);

}  // namespace
}  // namespace dvchub::kpi
