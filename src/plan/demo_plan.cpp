#include "plan/demo_plan.h"

#include <map>
#include <set>

namespace dvchub::plan {
namespace {

constexpr const char* lead_office = "MYTU-VHKHTT";          // VI.1 Phòng Văn hóa, Khoa học và Thông tin
constexpr const char* committee_office = "MYTU-VP";         // VI.2 Văn phòng HĐND và UBND
constexpr const char* education_office = "MYTU-GDDT";       // VI.3 Phòng Giáo dục và Đào tạo
constexpr const char* vocational_centre = "MYTU-GDNN";      // VI.3 Trung tâm GDNN-GDTX
constexpr const char* broadcasting_centre = "MYTU-VHTTTT";  // VI.6 Trung tâm Văn hóa – Thể thao – Truyền thanh

// VI.7 "Ủy ban nhân dân các xã, thị trấn" as of 03/04/2025.
constexpr const char* communes[] = {"MYTU-HHN",     "MYTU-LONGHUNG", "MYTU-MYHUONG", "MYTU-MYTU",      "MYTU-MYPHUOC",
                                    "MYTU-MYTHUAN", "MYTU-PHUMY",    "MYTU-HUNGPHU", "MYTU-THUANHUNG"};

const char* const plan_basis =
    "Quyết định số 1588/QĐ-TTg ngày 17/12/2024 của Thủ tướng Chính phủ về phê duyệt Đề án “Tuyên truyền, phổ biến, "
    "nâng cao chất lượng về cung cấp và sử dụng hiệu quả dịch vụ công trực tuyến đến năm 2025, định hướng đến năm "
    "2030”";

NewTarget reported(const char* section, const char* key, int year, double minimum, const char* description,
                   const char* numerator, const char* denominator) {
  return NewTarget{section, key, year, description, minimum, std::nullopt, std::string(numerator),
                   std::string(denominator)};
}

NewTarget computed(const char* section, const char* key, int year, double minimum, const char* description,
                   const char* indicator) {
  return NewTarget{section, key, year, description, minimum, std::string(indicator), std::nullopt, std::nullopt};
}

// Section II.2: every bullet of a) and b). The satisfaction bullet of a) sets two thresholds, so two targets.
std::vector<NewTarget> targets() {
  const char* a = "II.2.a";
  const char* b = "II.2.b";
  return {
      reported(a, "officials_informed", 2025, 1.0,
               "100% lãnh đạo, cán bộ, công chức, viên chức, người lao động trong cơ quan nhà nước được truyền thông "
               "nâng cao nhận thức về vai trò, ý nghĩa, lợi ích của việc cung cấp và hiệu quả sử dụng DVCTT; đồng thời, "
               "khuyến khích trực tiếp sử dụng DVCTT được cung cấp khi có nhu cầu thực hiện TTHC.",
               "Lãnh đạo, CBCCVC, người lao động đã được truyền thông về DVCTT",
               "Lãnh đạo, CBCCVC, người lao động trong cơ quan nhà nước"),
      reported(a, "agencies_publishing", 2025, 1.0,
               "100% cơ quan, đơn vị thực hiện tuyên truyền về DVCTT, đăng tải các tài liệu, video clip trên Cổng Thông "
               "tin điện tử của cơ quan, đơn vị mình với nội dung thống nhất để hướng dẫn người dân, doanh nghiệp sử "
               "dụng DVCTT được cung cấp trên hệ thống thông tin giải quyết TTHC của tỉnh.",
               "Cơ quan, đơn vị đã tuyên truyền và đăng tài liệu, video về DVCTT", "Cơ quan, đơn vị"),
      reported(a, "system_staff_trained", 2025, 1.0,
               "100% cán bộ, công chức, viên chức trực tiếp tham gia thiết kế, quản trị, vận hành, khai thác sử dụng hệ "
               "thống thông tin cung cấp dịch vụ công được đào tạo, bồi dưỡng, tập huấn, cập nhật kiến thức chuyên sâu "
               "về công nghệ số, kỹ năng số.",
               "CBCCVC vận hành hệ thống dịch vụ công đã được đào tạo, tập huấn",
               "CBCCVC trực tiếp thiết kế, quản trị, vận hành, khai thác hệ thống dịch vụ công"),
      reported(a, "grassroots_systems_active", 2025, 1.0,
               "100% hệ thống thông tin cơ sở đang hoạt động thực hiện tuyên truyền, phổ biến về cung cấp và sử dụng "
               "DVCTT có hình thức, nội dung phù hợp với đặc thù địa phương.",
               "Hệ thống thông tin cơ sở có tuyên truyền về DVCTT", "Hệ thống thông tin cơ sở đang hoạt động"),
      reported(a, "media_with_sections", 2025, 1.0,
               "100% cơ quan báo chí, truyền thông trên địa bàn huyện xây dựng các chuyên trang, chuyên mục, đăng tải, "
               "phát sóng, xuất bản các sản phẩm truyền thông (in ấn, nghe nhìn, sản phẩm truyền thông số) về cung cấp "
               "và sử dụng DVCTT phù hợp với tôn chỉ, mục đích của cơ quan báo chí.",
               "Cơ quan báo chí, truyền thông có chuyên trang, chuyên mục về DVCTT",
               "Cơ quan báo chí, truyền thông trên địa bàn huyện"),
      reported(a, "team_members_trained", 2025, 1.0,
               "100% thành viên của Tổ Công nghệ số cộng đồng được bồi dưỡng, tập huấn cập nhật, nâng cao kiến thức và "
               "kỹ năng số để tuyên truyền, hỗ trợ, hướng dẫn người dân về DVCTT.",
               "Thành viên Tổ Công nghệ số cộng đồng đã được bồi dưỡng, tập huấn",
               "Thành viên Tổ Công nghệ số cộng đồng"),
      computed(a, "procedures_full_online", 2025, 1.0,
               "100% TTHC đủ điều kiện theo quy định của pháp luật được cung cấp dưới hình thức DVCTT toàn trình.",
               "procedures_full_online_rate"),
      computed(a, "users_identified", 2025, 1.0,
               "100% người dân và doanh nghiệp sử dụng DVCTT được định danh và xác thực thông suốt, hợp nhất trên tất "
               "cả các hệ thống của các cấp chính quyền địa phương.",
               "vneid_rate"),
      computed(a, "dossiers_full_online", 2025, 0.8, "Ít nhất 80% hồ sơ TTHC được xử lý trực tuyến toàn trình.",
               "full_online_rate"),
      computed(a, "adult_usage", 2025, 0.5, "50% người dân trưởng thành sử dụng DVCTT.", "adult_usage_rate"),
      reported(a, "satisfaction", 2025, 0.9,
               "Ít nhất 90% người dân hài lòng khi sử dụng các DVCTT.",
               "Người được khảo sát hài lòng khi sử dụng DVCTT", "Người được khảo sát về DVCTT"),
      reported(a, "satisfaction_land_construction_investment", 2025, 0.85,
               "Mức độ hài lòng về giải quyết các TTHC thuộc lĩnh vực đất đai, xây dựng, đầu tư đạt ít nhất 85%.",
               "Người được khảo sát hài lòng về TTHC đất đai, xây dựng, đầu tư",
               "Người được khảo sát về TTHC đất đai, xây dựng, đầu tư"),
      reported(a, "feedback_answered", 2025, 1.0,
               "100% ý kiến đóng góp của người dân khi sử dụng các DVCTT được cơ quan nhà nước tiếp thu, công khai giải "
               "đáp để cải tiến chất lượng DVCTT.",
               "Ý kiến đóng góp đã được tiếp thu, công khai giải đáp", "Ý kiến đóng góp của người dân về DVCTT"),
      reported(a, "students_reached", 2025, 0.8,
               "80% học sinh trung học phổ thông trên địa bàn huyện được phổ cập kiến thức, kỹ năng sử dụng DVCTT thông "
               "qua các hoạt động học tập, bồi dưỡng, tập huấn.",
               "Học sinh THPT đã được phổ cập kiến thức, kỹ năng sử dụng DVCTT", "Học sinh THPT trên địa bàn huyện"),
      reported(b, "agencies_improving", 2030, 1.0,
               "100% cơ quan nhà nước, tổ chức cung cấp DVCTT liên tục có cải tiến chất lượng để phục vụ người dân, "
               "doanh nghiệp tốt nhất.",
               "Cơ quan, tổ chức cung cấp DVCTT có cải tiến chất lượng", "Cơ quan, tổ chức cung cấp DVCTT"),
      computed(b, "adult_usage", 2030, 0.7, "70% người dân trưởng thành sử dụng DVCTT.", "adult_usage_rate"),
      reported(b, "students_reached", 2030, 1.0,
               "100% học sinh trung học phổ thông trên địa bàn huyện được phổ cập kiến thức và kỹ năng sử dụng DVCTT "
               "thông qua các hoạt động học tập, bồi dưỡng, tập huấn.",
               "Học sinh THPT đã được phổ cập kiến thức, kỹ năng sử dụng DVCTT", "Học sinh THPT trên địa bàn huyện"),
  };
}

struct TaskText {
  const char* code;
  const char* body;
  const char* yearly_on;  // nullptr when the text gives no yearly date
};

struct GroupText {
  const char* code;
  const char* title;
  std::vector<TaskText> tasks;
};

// Section IV, as written (sub-bullets kept on their own lines).
std::vector<GroupText> section_four() {
  return {
      {"IV.1",
       "Tuyên truyền, phổ biến nâng cao nhận thức, phổ cập kiến thức và kỹ năng sử dụng DVCTT qua các phương tiện "
       "thông tin đại chúng, truyền thông mạng xã hội",
       {{"IV.1.a",
         "Thiết lập và phát triển các trang, kênh trên các nền tảng mạng xã hội phổ biến; kết nối đa kênh, đa nền tảng "
         "để tuyên truyền, phổ biến, nâng cao nhận thức, phổ cập kiến thức và kỹ năng sử dụng DVCTT cho người dân, "
         "doanh nghiệp.",
         nullptr},
        {"IV.1.b",
         "Sản xuất nội dung tin bài, hình ảnh, đồ họa thông tin, đồ họa chuyển động, video, ... về DVCTT để đăng, phát "
         "trên các trang mạng xã hội phổ biến, các kênh, nền tảng số khác nhau và trên phương tiện truyền thông đại "
         "chúng.",
         nullptr},
        {"IV.1.c",
         "Phát triển, duy trì hoạt động hiệu quả các chuyên trang, chuyên mục trên Cổng Thông tin điện tử huyện, các "
         "phương tiện thông tin đại chúng.",
         nullptr},
        {"IV.1.d",
         "Sản xuất các chương trình, bài hát, phóng sự, chương trình trao đổi, đối thoại, chuyên đề chuyên sâu trên hệ "
         "thống phát thanh.",
         nullptr},
        {"IV.1.đ", "Trao đổi, học tập kinh nghiệm với các địa phương trong triển khai DVCTT.", nullptr}}},
      {"IV.2",
       "Tuyên truyền, phổ biến, nâng cao nhận thức, phổ cập kiến thức và kỹ năng sử dụng DVCTT qua các hệ thống thông "
       "tin cơ sở",
       {{"IV.2.a",
         "Thực hiện tuyên truyền theo từng điểm cung cấp dịch vụ thông tin và truyền thông, dịch vụ mạng như: các điểm "
         "hỗ trợ đồng bào dân tộc thiểu số ứng dụng công nghệ thông tin, các điểm phủ sóng mạng không dây, điểm truy "
         "cập Internet công cộng.",
         nullptr},
        {"IV.2.b", "Tuyên truyền trên Hệ thống truyền thanh cấp huyện và truyền thanh cơ sở.", nullptr},
        {"IV.2.c",
         "Tuyên truyền trực quan: pa-nô, áp phích, tranh bích họa, bảng tin, biển tấm lớn, ấn phẩm, biểu trưng nhận "
         "diện, ... để truyền tải thông điệp tuyên truyền về DVCTT ở nơi đông dân cư, Bộ phận Một cửa các cấp.",
         nullptr}}},
      {"IV.3",
       "Tuyên truyền, phổ biến, nâng cao nhận thức, phổ cập kiến thức và kỹ năng sử dụng DVCTT thông qua các phương "
       "thức khác",
       {{"IV.3.a",
         "Xây dựng các chiến dịch truyền thông, tuyên truyền nâng cao nhận thức, phổ cập kiến thức và kỹ năng sử dụng "
         "DVCTT với quy mô lớn, đồng bộ giữa các cơ quan, tổ chức trên các phương tiện truyền thông đại chúng, mạng xã "
         "hội; khuyến khích nhiều đối tượng, tầng lớp tham gia nhằm tạo hiệu ứng sự lan tỏa sâu rộng trong xã hội về "
         "DVCTT.",
         nullptr},
        {"IV.3.b",
         "Tổ chức hội nghị, hội thảo, tọa đàm trao đổi, thảo luận, chia sẻ kinh nghiệm về DVCTT; Tổ Công nghệ số cộng "
         "đồng tích cực tuyên truyền với phương châm “đi từng ngõ, gõ từng nhà” hướng dẫn người dân sử dụng DVCTT.",
         nullptr},
        {"IV.3.c",
         "Đẩy mạnh hoạt động tuyên truyền, phổ biến về DVCTT trong Ngày Chuyển đổi số quốc gia và của tỉnh (Ngày 10/10 "
         "hàng năm). Tổ chức các cuộc thi, hội thi về tuyên truyền viên DVCTT giỏi trực tiếp hoặc trực tuyến để tìm "
         "kiếm các giải pháp mô hình, hoạt động truyền thông, tuyên truyền về DVCTT sáng tạo, hiệu quả trong cộng đồng.",
         "10-10"},
        {"IV.3.d",
         "Thực hiện tuyên truyền thông qua hình thức nhắn tin, thông báo với sự tham gia của các doanh nghiệp viễn "
         "thông, các mạng xã hội nhằm giới thiệu, hướng dẫn cho người dân sử dụng DVCTT theo nhu cầu.",
         nullptr},
        {"IV.3.đ",
         "Triển khai, vận hành chuyên mục về DVCTT; cung cấp đầy đủ thông tin, công cụ và tài liệu đa dạng các đối "
         "tượng trên nền tảng học trực tuyến mở đại trà.",
         nullptr},
        {"IV.3.e",
         "Triển khai, thiết lập các hệ thống kỹ thuật, công cụ ứng dụng công nghệ hiện đại phục vụ công tác tuyên "
         "truyền, nâng cao nhận thức, phổ cập kiến thức và kỹ năng sử dụng DVCTT, như:\n"
         "- Trang bị các phương tiện, thiết bị, phần mềm phục vụ công tác tuyên truyền.\n"
         "- Triển khai, ứng dụng hệ thống công nghệ truyền thông, tuyên truyền chủ động, tự động sử dụng trí tuệ nhân "
         "tạo (AI), hệ thống tương tác tự động (chatbot) để hướng dẫn, hỗ trợ và giải đáp thắc mắc của người dân khi sử "
         "dụng DVCTT.\n"
         "- Triển khai, thiết lập nền tảng số để tăng cường tương tác, trao đổi giữa cơ quan nhà nước với người dân "
         "trong quá trình cung cấp, sử dụng DVCTT để cải tiến chất lượng của dịch vụ, cụ thể:\n"
         "+ Thu thập, tổng hợp và công bố ý kiến phản hồi, đánh giá của người dân về DVCTT thông qua Nền tảng khảo sát, "
         "thu thập ý kiến người dân trên Cổng Dịch vụ công quốc gia, khảo sát ý kiến người dùng trên Hệ thống thông tin "
         "giải quyết TTHC tỉnh.\n"
         "+ Đôn đốc và giám sát việc xử lý của cơ quan nhà nước cung cấp DVCTT về các ý kiến phản hồi, đánh giá của "
         "người dân.",
         nullptr},
        {"IV.3.g",
         "Thực hiện tuyên truyền, phổ biến, nâng cao nhận thức của người dân về DVCTT và hỗ trợ người dân tiếp cận, "
         "thực hiện đối với DVCTT được cung cấp trên Cổng Dịch vụ công quốc gia và Hệ thống thông tin giải quyết TTHC "
         "của tỉnh tại Bộ phận Một cửa các cấp.",
         nullptr},
        {"IV.3.h",
         "Biểu dương, tôn vinh, khen thưởng các tổ chức, cá nhân có tỷ lệ thực hiện DVCTT cao nhất, có khả năng tuyên "
         "truyền, thu hút giỏi nhất nhằm mang lại hiệu quả trong quá trình thực hiện DVCTT.",
         nullptr}}},
      {"IV.4",
       "Tuyên truyền, phổ biến, nâng cao nhận thức, phổ cập kiến thức và kỹ năng sử dụng DVCTT tại các trường học, cơ "
       "sở giáo dục nghề nghiệp và giáo dục thường xuyên",
       {{"IV.4.a",
         "Rà soát chương trình, nội dung, thời lượng giảng dạy và biên tập tài liệu, hướng dẫn về DVCTT lồng ghép vào "
         "môn tin học, hoạt động ngoại khóa phù hợp với lớp học, cấp học (từ trung học cơ sở đến trung học phổ thông) "
         "như:\n"
         "- Tuyên truyền, phổ biến cho học sinh hiểu về DVCTT, biết cách truy cập và tự sử dụng DVCTT phù hợp với lứa "
         "tuổi. Hướng dẫn học sinh phổ biến, hỗ trợ người thân trong gia đình sử dụng DVCTT khi có nhu cầu.\n"
         "- Các biện pháp tuyên truyền, phổ biến nhận thức, kỹ năng sử dụng DVCTT dưới các hình thức trực quan, dễ "
         "hiểu, sinh động phù hợp lứa tuổi.",
         nullptr},
        {"IV.4.b",
         "Tổ chức các cuộc thi tìm hiểu về DVCTT cho các nhóm đối tượng khác nhau là học sinh, sinh viên, học viên của "
         "các cơ sở giáo dục phổ thông, giáo dục nghề nghiệp và giáo dục thường xuyên.",
         nullptr},
        {"IV.4.c",
         "Tổ chức các cuộc thi thiết kế áp phích, thiết kế mô hình, các video đa phương tiện về DVCTT cho các đối tượng "
         "cấp trung học cơ sở.",
         nullptr}}},
      {"IV.5",
       "Nâng cao chất lượng cung cấp DVCTT",
       {{"IV.5.a",
         "Tổ chức, tham gia các hội nghị, hội thảo chuyên đề hoặc lồng ghép vào các hội nghị, hội thảo về chuyển đổi "
         "số của các cơ quan, đơn vị để truyền thông cho cán bộ, công chức, viên chức, người lao động trong cơ quan nhà "
         "nước về vai trò, ý nghĩa, lợi ích của DVCTT.",
         nullptr},
        {"IV.5.b",
         "Tổ chức, tham gia đào tạo và đào tạo lại cho cán bộ, công chức, viên chức, người lao động có tham gia vận "
         "hành, khai thác, sử dụng Hệ thống thông tin giải quyết thủ tục hành chính tỉnh.",
         nullptr},
        {"IV.5.c",
         "Rà soát, đề xuất nâng cấp, thiết kế giao diện, trải nghiệm người dùng của hệ thống giải quyết TTHC tỉnh, ưu "
         "tiên các dịch vụ công thiết yếu có nhiều người sử dụng. Đặc biệt, chú trọng tới việc cung cấp thông tin hướng "
         "dẫn đơn giản, trực quan, dễ hiểu, dễ làm, giúp người dân có thể tự hiểu, thực hiện một cách dễ dàng, thuận "
         "tiện.",
         nullptr},
        {"IV.5.d",
         "Triển khai kho dữ liệu điện tử của cá nhân, tổ chức trên Hệ thống thông tin giải quyết TTHC tỉnh; rà soát, "
         "cập nhật, kết nối, chia sẻ thông tin giữa các cơ quan nhà nước, tái sử dụng dữ liệu số hóa trong thực hiện "
         "dịch vụ công đảm bảo không yêu cầu người dân, doanh nghiệp phải cung cấp lại thông tin đã có trong kho dữ "
         "liệu điện tử của cá nhân, tổ chức khi thực hiện DVCTT.",
         nullptr},
        {"IV.5.đ",
         "Phối hợp tỉnh thực hiện các khảo sát và đánh giá định kỳ bằng các công cụ kỹ thuật để đo lường sự hài lòng "
         "và nhu cầu của người dân khi sử dụng DVCTT.",
         nullptr}}},
      {"IV.6",
       "Định hướng nội dung, hoạt động và xây dựng, biên tập các tài liệu tuyên truyền thuộc phạm vi của Kế hoạch",
       {{"IV.6.a",
         "Triển khai, xây dựng và biên tập tài liệu tuyên truyền sử dụng chung cho các đối tượng và theo chủ đề, chuyên "
         "đề phù hợp với từng nhóm đối tượng khác nhau. Chia sẻ rộng rãi để các cơ quan, đơn vị khác có thể khai thác, "
         "sử dụng chung.",
         nullptr},
        {"IV.6.b",
         "Duy trì, nâng cấp và đảm bảo an toàn, an ninh thông tin cho các hệ thống lưu trữ, chia sẻ và quảng bá các tài "
         "liệu tuyên truyền phổ biến, nâng cao chất lượng về cung cấp và sử dụng hiệu quả DVCTT.",
         nullptr},
        {"IV.6.c",
         "Thiết lập mạng lưới cộng tác viên tham gia tiếp nhận thông tin, lắng nghe, phát hiện các ý kiến phản hồi, các "
         "vướng mắc khó khăn của người dân khi sử dụng DVCTT để có giải pháp thông tin, tuyên truyền hiệu quả.",
         nullptr},
        {"IV.6.d", "Xây dựng, triển khai các kênh tiếp nhận phản ánh, hỗ trợ, tư vấn về DVCTT cho người dân.", nullptr}}},
  };
}

// Section VI's leads by task: VI.1, VI.2, VI.3 and VI.6 name the tasks their units lead ("chủ trì").
std::map<std::string, std::vector<std::pair<const char*, const char*>>> leads() {
  std::map<std::string, std::vector<std::pair<const char*, const char*>>> result;
  // VI.1: "điểm a, b khoản 1; điểm a, c, đ, e khoản 3; điểm a khoản 5; điểm c khoản 6".
  for (const char* code : {"IV.1.a", "IV.1.b", "IV.3.a", "IV.3.c", "IV.3.đ", "IV.3.e", "IV.5.a", "IV.6.c"}) {
    result[code].push_back({lead_office, "VI.1"});
  }
  // VI.2: "điểm b, c, d, đ khoản 5".
  for (const char* code : {"IV.5.b", "IV.5.c", "IV.5.d", "IV.5.đ"}) result[code].push_back({committee_office, "VI.2"});
  // VI.3: "khoản 4", both units.
  for (const char* code : {"IV.4.a", "IV.4.b", "IV.4.c"}) {
    result[code].push_back({education_office, "VI.3"});
    result[code].push_back({vocational_centre, "VI.3"});
  }
  // VI.6: "khoản 1; điểm b khoản 2 và điểm b khoản 6".
  for (const char* code : {"IV.1.a", "IV.1.b", "IV.1.c", "IV.1.d", "IV.1.đ", "IV.2.b", "IV.6.b"}) {
    result[code].push_back({broadcasting_centre, "VI.6"});
  }
  return result;
}

// The assignments of one task: the leads above; VI.1's follow-up of the press on "khoản 1 và điểm b khoản 6" where
// the lead office does not already lead; VI.6's "phối hợp … các nhiệm vụ được giao tại Kế hoạch này" wherever the
// centre does not lead; VI.7's communes and town, "chủ trì … trong phạm vi, lĩnh vực của đơn vị tại khoản IV", on
// every task. VI.4 and VI.5 give duties outside section IV, so no task.
std::vector<NewAssignment> assignments_of(const std::string& code,
                                          const std::map<std::string, std::vector<std::pair<const char*, const char*>>>&
                                              lead_table) {
  std::vector<NewAssignment> assignments;
  std::set<std::string> assigned;
  auto found = lead_table.find(code);
  if (found != lead_table.end()) {
    for (const auto& [unit, basis] : found->second) {
      assignments.push_back({unit, "lead", basis});
      assigned.insert(unit);
    }
  }
  const bool press_followed = code.rfind("IV.1.", 0) == 0 || code == "IV.6.b";
  if (press_followed && !assigned.count(lead_office)) assignments.push_back({lead_office, "oversight", "VI.1"});
  if (!assigned.count(broadcasting_centre)) assignments.push_back({broadcasting_centre, "coordinating", "VI.6"});
  for (const char* commune : communes) assignments.push_back({commune, "within_scope", "VI.7"});
  return assignments;
}

}  // namespace

NewPlan my_tu_plan(std::optional<std::int64_t> parent_id) {
  NewPlan plan;
  plan.number = "51/KH-UBND";
  plan.issued_on = "2025-04-03";
  plan.issuing_unit_code = "MYTU";
  plan.lead_unit_code = lead_office;
  plan.title = std::string("Triển khai thực hiện ") + plan_basis + " trên địa bàn huyện Mỹ Tú";
  plan.basis = std::string(plan_basis) +
               "; Kế hoạch số 59/KH-UBND ngày 24/3/2025 của Ủy ban nhân dân tỉnh Sóc Trăng";
  plan.parent_id = parent_id;
  plan.target_year = 2025;
  plan.horizon_year = 2030;
  plan.status = "in_force";
  plan.report_due = "12-08";  // VI.7: "chậm nhất vào ngày 08/12" each year
  plan.targets = targets();
  const auto lead_table = leads();
  for (const auto& group : section_four()) {
    NewTaskGroup new_group{group.code, group.title, {}};
    for (const auto& task : group.tasks) {
      new_group.tasks.push_back(NewTask{task.code, task.body,
                                        task.yearly_on ? std::optional<std::string>(task.yearly_on) : std::nullopt,
                                        assignments_of(task.code, lead_table)});
    }
    plan.groups.push_back(std::move(new_group));
  }
  return plan;
}

Result<int> seed_demo_plans(PlanService& plans, const audit::Actor& actor) {
  int created = 0;
  auto province = DVCHUB_TRY(plans.find_by_number("ST", "59/KH-UBND"));
  if (!province) {
    NewPlan plan;
    plan.number = "59/KH-UBND";
    plan.issued_on = "2025-03-24";
    plan.issuing_unit_code = "ST";
    plan.title = std::string("Triển khai thực hiện ") + plan_basis + " trên địa bàn tỉnh Sóc Trăng";
    plan.basis = plan_basis;
    plan.target_year = 2025;
    plan.horizon_year = 2030;
    province = DVCHUB_TRY(plans.create(plan, actor));
    ++created;
  }
  if (!DVCHUB_TRY(plans.find_by_number("MYTU", "51/KH-UBND"))) {
    DVCHUB_TRY(plans.create(my_tu_plan(province->id), actor));
    ++created;
  }
  return created;
}

}  // namespace dvchub::plan
