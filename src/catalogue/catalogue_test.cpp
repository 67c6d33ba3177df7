#include "catalogue/catalogue.h"

#include <gtest/gtest.h>

#include "support/test_database.h"

namespace dvchub::catalogue {
namespace {

using dvchub::testing::fails_with;
using dvchub::testing::is_ok;

const char* header =
    "MaTTHC,TenTTHC,LinhVuc,CapThucHien,DuDieuKienToanTrinh,CungCapTrucTuyen,CoPhiLePhi,ThoiHanGiaiQuyet,"
    "DonViThoiHan,LePhi,ThanhPhanHoSo,CoQuanThucHien,DuongDanNopTrucTuyen,Topic\n";

TEST(CatalogueFormat, ParsesRowsAndReportsBadOnesWithTheirLine) {
  std::string csv = std::string(header) +
                    "1.001193,Đăng ký khai sinh,Hộ tịch,Cấp xã,1,2,0,3,ngày làm việc,Miễn lệ phí,"
                    "\"Tờ khai | Giấy chứng sinh\",UBND cấp xã,https://dichvucong.gov.vn,proc.birth-registration\n"
                    "X.2,Thủ tục lỗi,Hộ tịch,Cấp xã,1,5,0,,,,,,,\n"
                    ",Không mã,Hộ tịch,Cấp xã,1,1,0,,,,,,,\n";
  auto report = parse_catalogue(csv);
  ASSERT_TRUE(is_ok(report));
  ASSERT_EQ(report->procedures.size(), 1u);
  const auto& birth = report->procedures[0];
  EXPECT_EQ(birth.documents, (std::vector<std::string>{"Tờ khai", "Giấy chứng sinh"}));
  EXPECT_EQ(*birth.time_limit, 3.0);
  EXPECT_EQ(birth.online_level, 2);
  ASSERT_EQ(report->rejected.size(), 2u);
  EXPECT_EQ(report->rejected[0].field, "dòng 3");
  EXPECT_EQ(report->rejected[1].field, "dòng 4");
  EXPECT_TRUE(fails_with(parse_catalogue("a,b,c\n1,2,3\n"), ErrorCode::invalid_input));
}

TEST(CatalogueFormat, JsonFollowsTheSameRules) {
  auto report = parse_catalogue_json(
      R"([{"MaTTHC":"1.001193","TenTTHC":"Đăng ký khai sinh","LinhVuc":"Hộ tịch","CapThucHien":"Cấp xã",)"
      R"("DuDieuKienToanTrinh":1,"CungCapTrucTuyen":2,"CoPhiLePhi":0,"ThanhPhanHoSo":["Tờ khai","Giấy chứng sinh"]},)"
      R"(42,{"MaTTHC":"X","TenTTHC":"Sai","DuDieuKienToanTrinh":7,"CungCapTrucTuyen":0,"CoPhiLePhi":0}])");
  ASSERT_TRUE(is_ok(report));
  ASSERT_EQ(report->procedures.size(), 1u);
  EXPECT_EQ(report->procedures[0].documents.size(), 2u);
  ASSERT_EQ(report->rejected.size(), 2u);
  EXPECT_EQ(report->rejected[0].field, "mục 2");
  EXPECT_EQ(report->rejected[1].field, "mục 3");
  EXPECT_TRUE(fails_with(parse_catalogue_json("{\"a\":1}"), ErrorCode::invalid_input));
}

class CatalogueServiceTest : public dvchub::testing::BackendTest {
 protected:
  ManualClock clock_{TimePoint(std::chrono::seconds(1764201600))};
  audit::Actor actor_ = audit::Actor::system("test");
};

TEST_P(CatalogueServiceTest, ReimportIsIdempotentByCodeAndUpdatesWhatChanged) {
  CatalogueService catalogue(database(), clock_);
  std::string first = std::string(header) +
                      "1.001193,Đăng ký khai sinh,Hộ tịch,Cấp xã,1,2,0,3,ngày làm việc,Miễn lệ phí,Tờ khai,,,\n"
                      "1.000894,Đăng ký kết hôn,Hộ tịch,Cấp xã,1,2,0,,,,,,,\n";
  auto imported = catalogue.import_text(first, actor_);
  ASSERT_TRUE(is_ok(imported));
  EXPECT_EQ(imported->created, 2u);
  auto again = catalogue.import_text(first, actor_);
  ASSERT_TRUE(is_ok(again));
  EXPECT_EQ(again->created, 0u);
  EXPECT_EQ(again->unchanged, 2u);
  std::string changed = std::string(header) +
                        "1.001193,Đăng ký khai sinh,Hộ tịch,Cấp xã,1,2,0,5,ngày làm việc,Miễn lệ phí,Tờ khai,,,\n";
  auto updated = catalogue.import_text(changed, actor_);
  ASSERT_TRUE(is_ok(updated));
  EXPECT_EQ(updated->updated, 1u);
  auto found = catalogue.find("1.001193");
  ASSERT_TRUE(is_ok(found));
  EXPECT_EQ(*(*found)->time_limit, 5.0);
  auto page = catalogue.list(1, 1, std::nullopt);
  ASSERT_TRUE(is_ok(page));
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->procedures.size(), 1u);
  EXPECT_EQ(page->procedures[0].code, "1.000894");
  auto field = catalogue.list(1, 50, std::string("Đất đai"));
  EXPECT_EQ(field->total, 0);
  auto connection = acquire();
  auto audited = connection->query_one("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'procedure'");
  EXPECT_EQ((*audited)->integer(0), 3);
}

DVCHUB_INSTANTIATE_BACKEND_TESTS(CatalogueServiceTest);

}  // namespace
}  // namespace dvchub::catalogue
