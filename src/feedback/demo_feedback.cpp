#include "feedback/demo_feedback.h"

#include <vector>

#include "feedback/feedback_service.h"

namespace dvchub::feedback {
namespace {

// How far a demo item gets through the workflow.
enum class Stage { received, classified, assigned, drafted, approved, published, rejected, transferred };

struct DemoItem {
  int days_ago;
  Submission submission;
  Stage stage;
  const char* assign_to;  // classification target ("" none)
  const char* text;       // the answer, or the reason of a rejection or transfer
  int rating;             // 0 none, 1 satisfied, -1 not satisfied (re-opens)
};

Submission submission(const char* kind, const char* subject, const char* title, const char* body, const char* unit,
                      const char* contact_name, const char* contact_phone, bool consent) {
  Submission result;
  result.kind = kind;
  result.subject = subject;
  result.title = title;
  result.body = body;
  result.unit_code = unit;
  result.contact_name = contact_name;
  result.contact_phone = contact_phone;
  result.consent_publish = consent;
  return result;
}

std::vector<DemoItem> demo_items() {
  return {
      {40, submission("question", "technical", "Không đăng nhập được Cổng dịch vụ công bằng tài khoản VNeID",
                      "Tôi là Nguyễn Văn Hùng, khi bấm Đăng nhập bằng VNeID thì ứng dụng báo lỗi và quay lại trang chủ. "
                      "Số điện thoại của tôi 0918 234 567. Xin hướng dẫn cách khắc phục.",
                      "MH-XA-2", "Nguyễn Văn Hùng", "0918234567", true),
       Stage::published, "MH-XA-2",
       "Ông/bà cập nhật ứng dụng VNeID lên bản mới nhất, bật quyền thông báo và đăng nhập lại; nếu vẫn lỗi, mang "
       "CCCD đến Bộ phận một cửa xã để được hỗ trợ kích hoạt tài khoản mức 2.",
       1},
      {35, submission("complaint", "procedure", "Hồ sơ đăng ký khai sinh trực tuyến bị trả lại nhiều lần",
                      "Hồ sơ 000.00.20.H52-250612-0031 của tôi bị yêu cầu bổ sung ba lần, mỗi lần một giấy tờ khác nhau. "
                      "Đề nghị cho biết một lần đầy đủ thành phần hồ sơ.",
                      "MH-XA-1", "Trần Thị Mai", "0987654321", true),
       Stage::published, "MH-XA-1",
       "UBND xã xin lỗi vì yêu cầu bổ sung chưa đầy đủ ngay từ lần đầu. Thành phần hồ sơ khai sinh gồm tờ khai và giấy "
       "chứng sinh; công chức tư pháp – hộ tịch đã được nhắc nhở, hồ sơ của bà đã được giải quyết.",
       -1},
      {30, submission("question", "procedure", "Lệ phí cấp bản sao trích lục khai sinh trực tuyến",
                      "Cấp bản sao trích lục khai sinh qua dịch vụ công trực tuyến có được giảm lệ phí không?",
                      "MH-XA-3", "", "", true),
       Stage::published, "MH-XA-3",
       "Nộp trực tuyến được giảm 50 % lệ phí theo quy định hiện hành; thanh toán trên Cổng dịch vụ công quốc gia.", 1},
      {28, submission("suggestion", "technical", "Đề nghị thêm hướng dẫn bằng video cho người cao tuổi",
                      "Nhiều người cao tuổi trong ấp không biết nộp hồ sơ trực tuyến. Đề nghị có video ngắn hướng dẫn từng bước.",
                      "MYTU-VHKHTT", "", "", true),
       Stage::published, "MYTU-VHKHTT",
       "Cảm ơn kiến nghị. Tổ công nghệ số cộng đồng sẽ đăng video hướng dẫn trên trang Zalo của xã và hỗ trợ trực tiếp "
       "tại nhà văn hóa ấp vào sáng thứ Bảy.",
       0},
      {25, submission("complaint", "conduct", "Cán bộ một cửa hẹn trả kết quả không đúng giờ",
                      "Tôi đến nhận kết quả đúng giờ hẹn nhưng phải chờ hơn hai tiếng, gọi 0909 111 222 không ai nghe.",
                      "MH-XA-2", "Lâm Văn Phúc", "0909111222", true),
       Stage::assigned, "MH-XA-2", "", 0},
      {12, submission("question", "procedure", "Thủ tục chuyển mục đích sử dụng đất nông nghiệp",
                      "Gia đình tôi muốn chuyển 200 m² đất trồng lúa sang đất ở thì cần những giấy tờ gì, thời gian bao lâu?",
                      "MH-XA-3", "", "", true),
       Stage::drafted, "MH-XA-3",
       "Hồ sơ gồm đơn đề nghị và giấy chứng nhận quyền sử dụng đất; thời hạn giải quyết không quá 15 ngày làm việc.", 0},
      {10, submission("report", "technical", "Trang thanh toán lệ phí báo lỗi khi dùng thẻ ATM",
                      "Khi thanh toán lệ phí hộ tịch bằng thẻ ATM nội địa thì trang báo lỗi giao dịch nhưng tài khoản vẫn bị trừ tiền.",
                      "MH-XA-1", "Phạm Thị Lan", "", true),
       Stage::approved, "MH-XA-1",
       "Giao dịch lỗi đã được ngân hàng hoàn tiền trong 3 ngày làm việc; cổng thanh toán đã khắc phục lỗi kết nối.", 0},
      {6, submission("suggestion", "procedure", "Mở thêm quầy hỗ trợ nộp hồ sơ trực tuyến buổi chiều",
                     "Đề nghị bộ phận một cửa xã có người hỗ trợ nộp trực tuyến cả buổi chiều.", "", "", "", true),
       Stage::classified, "", "", 0},
      {5, submission("question", "other", "Cách tra cứu kết quả giải quyết hồ sơ",
                     "Tôi đã nộp hồ sơ trực tuyến, làm sao biết hồ sơ đang ở bước nào?", "", "", "", true),
       Stage::received, "", "", 0},
      {1, submission("complaint", "procedure", "Chưa nhận được giấy chứng nhận đăng ký hộ kinh doanh",
                     "Đã quá hạn hẹn trả mà tôi chưa nhận được giấy chứng nhận, email của tôi chu.hung@example.com.",
                     "MH-XA-2", "Chu Văn Hưng", "", true),
       Stage::received, "", "", 0},
      {18, submission("report", "other", "Quảng cáo dịch vụ vay tiền",
                      "Vay tiền nhanh không cần thế chấp, liên hệ ngay.", "", "", "", false),
       Stage::rejected, "", "Nội dung không phải phản ánh, kiến nghị về quy định hành chính hay dịch vụ công.", 0},
      {15, submission("complaint", "procedure", "Thủ tục cấp phép xây dựng nhà ở riêng lẻ kéo dài",
                      "Hồ sơ xin phép xây dựng của tôi nộp hơn một tháng chưa có kết quả.", "MYTU-VHKHTT", "", "", true),
       Stage::transferred, "MH-XA-3", "Cấp phép xây dựng nhà ở riêng lẻ thuộc thẩm quyền của UBND xã sau 01/07/2025.", 0},
      {20, submission("question", "procedure", "Đăng ký thường trú cho con",
                      "Con tôi mới sinh, đăng ký thường trú trực tuyến thế nào?", "MH-XA-1", "Võ Thị Thu", "", false),
       Stage::published, "MH-XA-1",
       "Sau khi đăng ký khai sinh liên thông, con được đăng ký thường trú tự động theo nơi thường trú của cha hoặc mẹ.", 0},
  };
}

}  // namespace

Result<int> seed_demo_feedback(storage::Database& database, units::UnitService& units,
                               calendar::WorkingCalendar& calendar, const Clock& clock) {
  constexpr std::string_view alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  {
    auto connection = DVCHUB_TRY(database.acquire());
    auto existing = DVCHUB_TRY(connection->query_one("SELECT id FROM feedback_items WHERE tracking_code = 'MAUA2345'"));
    if (existing) return 0;
  }
  ManualClock demo_clock(clock.now());
  int next_code = 0;
  FeedbackService service(database, units, calendar, demo_clock,
                          [&next_code, alphabet] { return "MAU" + std::string(1, alphabet[next_code++]) + "2345"; });
  http::Principal coordinator;
  coordinator.username = "seed-demo";
  coordinator.role = "coordinator";
  const auto actor = audit::Actor::system("seed-demo");
  const auto citizen = audit::Actor::system("citizen");
  int created = 0;
  // Days between steps, so the demo shows realistic durations.
  const auto day = std::chrono::hours(24);
  for (const auto& item : demo_items()) {
    demo_clock.set(clock.now() - item.days_ago * day + std::chrono::hours(1));
    auto receipt = DVCHUB_TRY(service.submit(item.submission, citizen));
    ++created;
    auto step = [&](Step kind, const std::string& unit, const std::string& text, int days_later) -> Result<void> {
      demo_clock.advance(days_later * day);
      DVCHUB_TRY(service.take_step(receipt.id, {kind, unit, text}, coordinator, actor));
      return {};
    };
    switch (item.stage) {
      case Stage::received:
        break;
      case Stage::rejected:
        DVCHUB_TRY(step(Step::reject, "", item.text, 1));
        break;
      case Stage::classified:
        DVCHUB_TRY(step(Step::classify, "", "", 1));
        break;
      case Stage::transferred:
        DVCHUB_TRY(step(Step::classify, item.submission.unit_code, "", 1));
        DVCHUB_TRY(step(Step::transfer, item.assign_to, item.text, 2));
        break;
      default: {
        DVCHUB_TRY(step(Step::classify, item.assign_to, "", 1));
        if (item.stage == Stage::assigned) break;
        DVCHUB_TRY(step(Step::draft, "", item.text, 5));
        if (item.stage == Stage::drafted) break;
        DVCHUB_TRY(step(Step::approve, "", "", 1));
        if (item.stage == Stage::approved) break;
        DVCHUB_TRY(step(Step::publish, "", "", 1));
        if (item.rating != 0) {
          demo_clock.advance(2 * day);
          DVCHUB_TRY(service.rate(receipt.tracking_code, item.rating > 0,
                                  item.rating > 0 ? "" : "Tôi vẫn chưa được hướng dẫn đầy đủ thành phần hồ sơ.", citizen));
        }
      }
    }
  }
  return created;
}

}  // namespace dvchub::feedback
