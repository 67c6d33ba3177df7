#include "assistant/article_generator.h"

#include <array>
#include <cstdio>
#include <random>
#include <string_view>
#include <utility>

#include "text/vietnamese.h"

namespace dvchub::assistant {
namespace {

// A procedure as citizens name it, and the documents and agency that go with it.
struct Service {
  std::string_view name;      // "đăng ký khai sinh"
  std::string_view field;     // "hộ tịch"
  std::string_view agency;    // "UBND cấp xã"
  std::array<std::string_view, 3> documents;
};

constexpr std::array<Service, 36> services{{
    {"đăng ký khai sinh", "hộ tịch", "UBND cấp xã", {"tờ khai đăng ký khai sinh", "giấy chứng sinh", "giấy tờ tùy thân của người đi đăng ký"}},
    {"đăng ký khai tử", "hộ tịch", "UBND cấp xã", {"tờ khai đăng ký khai tử", "giấy báo tử", "giấy tờ tùy thân của người đi khai"}},
    {"đăng ký kết hôn", "hộ tịch", "UBND cấp xã", {"tờ khai đăng ký kết hôn", "giấy xác nhận tình trạng hôn nhân", "căn cước của hai bên"}},
    {"xác nhận tình trạng hôn nhân", "hộ tịch", "UBND cấp xã", {"tờ khai cấp giấy xác nhận", "căn cước", "quyết định ly hôn (nếu có)"}},
    {"đăng ký lại khai sinh", "hộ tịch", "UBND cấp xã", {"tờ khai đăng ký lại khai sinh", "bản sao giấy khai sinh", "giấy tờ có thông tin khai sinh"}},
    {"cấp bản sao trích lục hộ tịch", "hộ tịch", "UBND cấp xã", {"tờ khai cấp bản sao trích lục", "căn cước", "giấy ủy quyền (nếu nhờ người khác)"}},
    {"thay đổi, cải chính hộ tịch", "hộ tịch", "UBND cấp xã", {"tờ khai thay đổi, cải chính", "giấy khai sinh", "giấy tờ làm căn cứ cải chính"}},
    {"đăng ký giám hộ", "hộ tịch", "UBND cấp xã", {"tờ khai đăng ký giám hộ", "văn bản cử giám hộ", "căn cước của người giám hộ"}},
    {"đăng ký nhận cha, mẹ, con", "hộ tịch", "UBND cấp xã", {"tờ khai đăng ký nhận cha, mẹ, con", "chứng cứ chứng minh quan hệ", "giấy khai sinh của con"}},
    {"đăng ký thường trú", "cư trú", "Công an cấp xã", {"tờ khai thay đổi thông tin cư trú", "giấy tờ chứng minh chỗ ở hợp pháp", "văn bản đồng ý của chủ hộ"}},
    {"đăng ký tạm trú", "cư trú", "Công an cấp xã", {"tờ khai thay đổi thông tin cư trú", "hợp đồng thuê nhà", "văn bản đồng ý của chủ nhà"}},
    {"xác nhận thông tin cư trú", "cư trú", "Công an cấp xã", {"tờ khai thay đổi thông tin cư trú", "căn cước", "giấy ủy quyền (nếu có)"}},
    {"khai báo tạm vắng", "cư trú", "Công an cấp xã", {"tờ khai thay đổi thông tin cư trú", "căn cước", "văn bản của nơi đến (nếu có)"}},
    {"cấp đổi thẻ căn cước", "căn cước", "Công an cấp huyện", {"căn cước cũ", "giấy tờ chứng minh thay đổi thông tin", "ảnh chân dung (nếu cần)"}},
    {"chứng thực bản sao từ bản chính", "chứng thực", "UBND cấp xã", {"bản chính giấy tờ", "bản sao cần chứng thực", "căn cước của người yêu cầu"}},
    {"chứng thực chữ ký", "chứng thực", "UBND cấp xã", {"giấy tờ cần chứng thực chữ ký", "căn cước", "giấy tờ chứng minh thẩm quyền"}},
    {"chứng thực hợp đồng", "chứng thực", "UBND cấp xã", {"dự thảo hợp đồng", "căn cước của các bên", "giấy tờ về tài sản"}},
    {"cấp giấy chứng nhận quyền sử dụng đất", "đất đai", "Văn phòng đăng ký đất đai", {"đơn đăng ký, cấp giấy chứng nhận", "giấy tờ về quyền sử dụng đất", "chứng từ nghĩa vụ tài chính"}},
    {"tách thửa đất", "đất đai", "Văn phòng đăng ký đất đai", {"đơn đề nghị tách thửa", "giấy chứng nhận đã cấp", "bản vẽ tách thửa"}},
    {"chuyển mục đích sử dụng đất", "đất đai", "UBND cấp huyện", {"đơn xin chuyển mục đích", "giấy chứng nhận quyền sử dụng đất", "trích lục bản đồ địa chính"}},
    {"đăng ký thế chấp quyền sử dụng đất", "đất đai", "Văn phòng đăng ký đất đai", {"phiếu yêu cầu đăng ký", "hợp đồng thế chấp", "giấy chứng nhận quyền sử dụng đất"}},
    {"cấp giấy phép xây dựng nhà ở riêng lẻ", "xây dựng", "UBND cấp huyện", {"đơn đề nghị cấp giấy phép xây dựng", "giấy tờ về quyền sử dụng đất", "bản vẽ thiết kế"}},
    {"đăng ký hộ kinh doanh", "kinh doanh", "Phòng Tài chính - Kế hoạch cấp huyện", {"giấy đề nghị đăng ký hộ kinh doanh", "căn cước của chủ hộ", "hợp đồng thuê địa điểm"}},
    {"thay đổi nội dung đăng ký hộ kinh doanh", "kinh doanh", "Phòng Tài chính - Kế hoạch cấp huyện", {"thông báo thay đổi", "giấy chứng nhận đăng ký hộ kinh doanh", "căn cước của chủ hộ"}},
    {"cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "y tế", "UBND cấp huyện", {"đơn đề nghị cấp giấy chứng nhận", "bản thuyết minh cơ sở vật chất", "giấy xác nhận tập huấn kiến thức"}},
    {"cấp phiếu lý lịch tư pháp", "tư pháp", "Sở Tư pháp", {"tờ khai yêu cầu cấp phiếu", "căn cước", "giấy tờ chứng minh nơi cư trú"}},
    {"cấp đổi giấy phép lái xe", "giao thông", "Sở Giao thông vận tải", {"đơn đề nghị đổi giấy phép lái xe", "giấy khám sức khỏe", "giấy phép lái xe cũ"}},
    {"đăng ký biển số xe máy", "giao thông", "Công an cấp xã", {"giấy khai đăng ký xe", "chứng từ nguồn gốc xe", "chứng từ lệ phí trước bạ"}},
    {"hưởng trợ cấp xã hội hằng tháng", "bảo trợ xã hội", "UBND cấp xã", {"tờ khai đề nghị trợ giúp xã hội", "căn cước", "giấy xác nhận khuyết tật (nếu có)"}},
    {"hỗ trợ chi phí mai táng", "bảo trợ xã hội", "UBND cấp xã", {"tờ khai đề nghị hỗ trợ mai táng", "giấy chứng tử", "giấy tờ của người lo mai táng"}},
    {"cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi", "bảo hiểm", "Cơ quan BHXH cấp huyện", {"tờ khai tham gia BHYT", "giấy khai sinh", "giấy chứng sinh"}},
    {"gia hạn thẻ bảo hiểm y tế hộ gia đình", "bảo hiểm", "Cơ quan BHXH cấp huyện", {"tờ khai tham gia BHYT", "danh sách thành viên hộ", "thẻ BHYT cũ"}},
    {"hưởng chế độ thai sản", "bảo hiểm", "Cơ quan BHXH cấp huyện", {"giấy khai sinh của con", "giấy ra viện", "sổ BHXH"}},
    {"hưởng trợ cấp thất nghiệp", "việc làm", "Trung tâm dịch vụ việc làm", {"đề nghị hưởng trợ cấp thất nghiệp", "quyết định thôi việc", "sổ BHXH"}},
    {"miễn, giảm học phí", "giáo dục", "Trường học và UBND cấp xã", {"đơn đề nghị miễn, giảm học phí", "giấy xác nhận hộ nghèo", "giấy khai sinh"}},
    {"công nhận hộ nghèo, hộ cận nghèo", "bảo trợ xã hội", "UBND cấp xã", {"giấy đề nghị rà soát", "phiếu thu thập thông tin hộ", "căn cước của chủ hộ"}},
}};

// What the article is about, with how citizens ask it.
struct Aspect {
  std::string_view title;     // "Hồ sơ cần chuẩn bị khi"
  std::string_view question;  // "cần giấy tờ gì"
  std::string_view variant;   // a second way of asking
};

constexpr std::array<Aspect, 16> aspects{{
    {"Hồ sơ cần chuẩn bị khi", "cần giấy tờ gì", "hồ sơ gồm những gì"},
    {"Lệ phí và cách nộp lệ phí khi", "lệ phí bao nhiêu", "có mất tiền không"},
    {"Thời hạn giải quyết khi", "mất bao lâu thì có kết quả", "bao nhiêu ngày thì xong"},
    {"Nơi nộp hồ sơ khi", "nộp hồ sơ ở đâu", "làm ở cơ quan nào"},
    {"Làm trực tuyến trên Cổng Dịch vụ công khi", "làm online được không", "nộp trên mạng như thế nào"},
    {"Ủy quyền cho người khác", "nhờ người thân làm thay được không", "ủy quyền cần giấy tờ gì"},
    {"Bổ sung hồ sơ khi", "bị yêu cầu bổ sung hồ sơ thì làm sao", "hồ sơ thiếu giấy tờ phải làm gì"},
    {"Tra cứu tình trạng hồ sơ khi", "tra cứu hồ sơ ở đâu", "xem hồ sơ đến bước nào"},
    {"Nhận kết quả qua bưu điện khi", "nhận kết quả tại nhà được không", "gửi kết quả qua bưu điện thế nào"},
    {"Thanh toán trực tuyến khi", "thanh toán online bằng gì", "nộp phí qua ngân hàng được không"},
    {"Ký số tờ khai khi", "có cần chữ ký số không", "ký điện tử tờ khai thế nào"},
    {"Hồ sơ bị từ chối khi", "vì sao hồ sơ bị từ chối", "bị trả hồ sơ thì làm lại thế nào"},
    {"Dùng tài khoản VNeID khi", "đăng nhập VNeID để làm được không", "tài khoản định danh mức 2 có cần không"},
    {"Giấy tờ điện tử dùng lại khi", "có phải nộp lại giấy tờ đã có không", "dùng giấy tờ trong kho dữ liệu được không"},
    {"Làm hồ sơ trên điện thoại khi", "làm trên điện thoại được không", "chụp giấy tờ bằng điện thoại để nộp"},
    {"Quá hạn giải quyết khi", "hồ sơ trễ hạn thì hỏi ai", "quá hạn chưa có kết quả phải làm gì"},
}};

constexpr std::array<std::string_view, 12> audiences{
    "người cao tuổi", "người khuyết tật", "hộ nghèo", "người lao động làm ăn xa", "sinh viên", "người dân tộc thiểu số",
    "cha mẹ có con nhỏ", "người ở nước ngoài về", "chủ hộ kinh doanh", "hợp tác xã", "cựu chiến binh", "người thuê trọ"};

constexpr std::array<std::string_view, 3> place_kinds{"xã", "phường", "thị trấn"};
constexpr std::array<std::string_view, 32> place_syllables{
    "An", "Bình", "Phú", "Tân", "Hòa", "Thạnh", "Đông", "Tây", "Mỹ", "Long", "Phước", "Hưng", "Lợi", "Thuận", "Quang",
    "Trung", "Nghĩa", "Sơn", "Hải", "Thủy", "Đức", "Minh", "Vĩnh", "Xuân", "Hiệp", "Lộc", "Thành", "Định", "Khánh",
    "Cẩm", "Yên", "Lạc"};

constexpr std::array<std::string_view, 8> channels{
    "Cổng Dịch vụ công quốc gia", "Cổng Dịch vụ công của tỉnh", "ứng dụng VNeID", "Bộ phận Một cửa của UBND xã",
    "dịch vụ bưu chính công ích", "Tổ công nghệ số cộng đồng", "tổng đài hỗ trợ 1800 1096", "điểm hỗ trợ tại nhà văn hóa thôn"};

constexpr std::array<std::string_view, 6> time_limits{
    "trong ngày làm việc", "03 ngày làm việc", "05 ngày làm việc", "07 ngày làm việc", "10 ngày làm việc",
    "15 ngày làm việc"};

constexpr std::array<std::string_view, 5> fee_notes{
    "miễn lệ phí", "lệ phí theo nghị quyết của Hội đồng nhân dân tỉnh", "giảm 50 % lệ phí khi nộp trực tuyến",
    "không thu lệ phí với hộ nghèo và người khuyết tật", "lệ phí ghi trên trang thủ tục"};

constexpr std::array<std::string_view, 10> openers{
    "Muốn", "Cho hỏi", "Mình muốn hỏi", "Xin hỏi", "Em cần", "Tôi ở", "Nhà tôi cần", "Hướng dẫn giúp", "Ai biết", "Làm sao để"};

class Picker {
 public:
  explicit Picker(std::uint64_t seed) : engine_(seed) {}
  // Uniform enough for content; `engine_() % size` is the same on every standard library (distributions are not).
  std::size_t below(std::size_t size) { return static_cast<std::size_t>(engine_() % size); }
  template <typename Container>
  const auto& pick(const Container& values) {
    return values[below(values.size())];
  }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  std::mt19937_64 engine_;
};

// Upper-cases the first letter: ASCII, or one of the non-ASCII initials that occur in the vocabulary above.
std::string sentence_case(std::string_view text) {
  std::string result(text);
  for (const auto& [lower, upper] : {std::pair<std::string_view, std::string_view>{"đ", "Đ"}, {"ả", "Ả"}}) {
    if (result.rfind(lower, 0) == 0) return std::string(upper) + result.substr(lower.size());
  }
  if (!result.empty() && result[0] >= 'a' && result[0] <= 'z') result[0] = static_cast<char>(result[0] - 'a' + 'A');
  return result;
}

Article make_article(Picker& picker, const std::string& topic, std::size_t number) {
  const Service& service = picker.pick(services);
  const Aspect& aspect = picker.pick(aspects);
  std::string place = std::string(picker.pick(place_kinds)) + " " + std::string(picker.pick(place_syllables)) + " " +
                      std::string(picker.pick(place_syllables));
  const bool for_audience = picker.chance(40);
  const std::string audience = for_audience ? std::string(picker.pick(audiences)) : std::string();
  const std::string_view channel = picker.pick(channels);
  const std::string_view other_channel = picker.pick(channels);
  const std::string_view time_limit = picker.pick(time_limits);
  const std::string_view fee = picker.pick(fee_notes);
  const std::string name(service.name);

  Article article;
  article.topic = topic;
  article.title = std::string(aspect.title) + " " + name + " tại " + place;
  if (for_audience) article.title += " (dành cho " + audience + ")";

  std::vector<std::string> questions;
  questions.push_back(name + " " + std::string(aspect.question));
  questions.push_back(std::string(picker.pick(openers)) + " " + name + " ở " + place + " " + std::string(aspect.variant));
  questions.push_back(name + " " + std::string(aspect.variant) + " " + place);
  if (for_audience) questions.push_back(audience + " " + name + " " + std::string(aspect.question));
  if (picker.chance(60)) questions.push_back(std::string(service.field) + " " + name + " nộp qua " + std::string(channel));
  // About a third of the phrasings as people type them on a phone: without any marks.
  const std::size_t marked = questions.size();
  for (std::size_t index = 0; index < marked; ++index) {
    if (picker.chance(35)) questions.push_back(text::fold(questions[index]));
  }
  article.questions = std::move(questions);
  article.keywords = {std::string(service.field), name, place};
  if (for_audience) article.keywords.push_back(audience);

  std::string body;
  body += "Bài này hướng dẫn người dân " + place + " về " + name + ": " + std::string(aspect.question) + ", " +
          std::string(aspect.variant) + ".";
  if (for_audience) body += " Nội dung dành riêng cho " + audience + ", có điểm khác so với trường hợp thông thường.";
  body += "\n\n**Giấy tờ thường cần có**\n\n";
  for (const auto& document : service.documents) body += "- " + sentence_case(document) + ".\n";
  body += "\n**Nộp ở đâu, mất bao lâu**\n\n";
  body += "Hồ sơ nộp tại " + std::string(service.agency) + " hoặc trực tuyến qua " + std::string(channel) +
          ". Thời hạn giải quyết thường là " + std::string(time_limit) + " kể từ khi nhận đủ hồ sơ hợp lệ; " +
          std::string(fee) + ". Người dân có thể tra cứu tình trạng hồ sơ bằng mã hồ sơ trên giấy tiếp nhận.\n\n";
  body += "**Lưu ý**\n\n";
  body += "1. Kiểm tra kỹ họ tên, ngày sinh và nơi cư trú trước khi gửi; sai thông tin sẽ phải bổ sung hồ sơ.\n";
  body += "2. Ảnh chụp giấy tờ cần rõ nét, đủ bốn góc; tệp đính kèm nên ở dạng PDF hoặc JPG.\n";
  body += "3. Nếu cần hỗ trợ, liên hệ " + std::string(other_channel) + ".\n\n";
  body += "Nội dung số " + std::to_string(number) + " của bộ dữ liệu tổng hợp dùng để đo hiệu năng.\n\n";
  body += "_Nội dung mẫu — cần cơ quan có thẩm quyền rà soát trước khi sử dụng chính thức._";
  article.body_markdown = std::move(body);

  article.links = {{"Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn"}};
  char reviewed[16];
  std::snprintf(reviewed, sizeof reviewed, "2025-%02zu-%02zu", 1 + picker.below(12), 1 + picker.below(28));
  article.reviewed = reviewed;
  article.sample = true;
  return article;
}

}  // namespace

std::vector<Article> generate_articles(const ArticleGeneratorOptions& options) {
  Picker picker(options.seed);
  std::vector<Article> articles;
  articles.reserve(options.count);
  for (std::size_t number = 1; number <= options.count; ++number) {
    char sequence[24];
    std::snprintf(sequence, sizeof sequence, "%05zu", number);
    articles.push_back(make_article(picker, options.topic_prefix + sequence, number));
  }
  return articles;
}

}  // namespace dvchub::assistant
