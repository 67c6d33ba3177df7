#include "text/vietnamese.h"

#include <gtest/gtest.h>

#include "text/syllable.h"
#include "text/unicode.h"

namespace dvchub::text {
namespace {

TEST(Fold, MapsDStrokeAndDropsEveryMark) {
  EXPECT_EQ(fold("Đăng ký tài khoản Hà Nội"), "dang ky tai khoan ha noi");
  EXPECT_EQ(fold("ĐỊNH DANH ĐIỆN TỬ"), "dinh danh dien tu");
  EXPECT_EQ(fold("Người dân"), "nguoi dan");
}

// Letters with marks are decomposed from a table; text with a mark typed apart still goes through ICU, which puts
// the marks in canonical order. Both must give the NFD that composing again turns back into the same text.
TEST(Decompose, GivesCanonicalDecompositionsWithAndWithoutTheTable) {
  EXPECT_EQ(unicode::decompose(U"Nghiệp vụ đ"), U"Nghie\u0323\u0302p vu\u0323 \u0111");
  EXPECT_EQ(unicode::decompose(U"ÁÀẢÃẠ"), U"A\u0301A\u0300A\u0309A\u0303A\u0323");
  EXPECT_EQ(unicode::decompose(U"e\u0302\u0323"), U"e\u0323\u0302");      // reordered by ICU
  EXPECT_EQ(unicode::decompose(U"ê\u0323 ạ"), U"e\u0323\u0302 a\u0323");  // a mark typed apart: ICU for all
  for (char32_t code_point = U'\u00C0'; code_point < U'\u0250'; ++code_point) {
    std::u32string letter(1, code_point);
    EXPECT_EQ(unicode::compose(unicode::decompose(letter)), unicode::compose(letter)) << static_cast<unsigned>(code_point);
  }
  for (char32_t code_point = U'\u1E00'; code_point < U'\u1F00'; ++code_point) {
    std::u32string letter(1, code_point);
    EXPECT_EQ(unicode::compose(unicode::decompose(letter)), unicode::compose(letter)) << static_cast<unsigned>(code_point);
  }
}

TEST(Uppercase, WritesVietnameseNamesInCapitals) {
  EXPECT_EQ(unicode::uppercase("Phòng Văn hóa, Khoa học và Thông tin"), "PHÒNG VĂN HÓA, KHOA HỌC VÀ THÔNG TIN");
  EXPECT_EQ(unicode::uppercase("Ủy ban nhân dân huyện Mỹ Tú"), "ỦY BAN NHÂN DÂN HUYỆN MỸ TÚ");
  EXPECT_EQ(unicode::uppercase("đường ĐT-938, ỹ ự ằ"), "ĐƯỜNG ĐT-938, Ỹ Ự Ằ");
  EXPECT_EQ(unicode::uppercase(""), "");
}

TEST(Fold, DecomposedAndComposedInputsAreEqual) {
  std::string composed = "Nguy\xe1\xbb\x85n";                      // "Nguyễn", ễ precomposed (U+1EC5)
  std::string decomposed = "Nguye\xcc\x82\xcc\x83n";               // e + U+0302 + U+0303
  EXPECT_NE(composed, decomposed);
  EXPECT_EQ(normalize(decomposed), composed);
  EXPECT_EQ(fold(decomposed), "nguyen");
  EXPECT_EQ(tokens(decomposed), tokens(composed));
}

TEST(Normalize, PutsTheToneMarkInOneCanonicalPlace) {
  EXPECT_EQ(normalize("hoà giải"), "hòa giải");
  EXPECT_EQ(normalize("thuý"), "thúy");
  EXPECT_EQ(normalize("khoẻ"), "khỏe");
  EXPECT_EQ(normalize("uỷ ban"), "ủy ban");
  EXPECT_EQ(normalize("quý"), "quý");
  EXPECT_EQ(normalize("hoàng"), "hoàng");
  EXPECT_EQ(normalize("người"), "người");
  EXPECT_EQ(normalize("khuỷu"), "khuỷu");
  EXPECT_EQ(normalize("ngoài"), "ngoài");
  EXPECT_EQ(normalize("giữ"), "giữ");
  EXPECT_EQ(normalize("Thuỷ Hoà"), "Thủy Hòa");  // case kept
  EXPECT_EQ(normalize("quyển"), "quyển");
}

TEST(Normalize, RemovesInvisibleCharactersAndKeepsTheRest) {
  EXPECT_EQ(normalize("tài\u200Bkhoản, 1.234!"), "tàikhoản, 1.234!");
  EXPECT_EQ(normalize("email@example.com"), "email@example.com");
}

TEST(Tokens, SplitsOnNonLettersLowerCasesAndKeepsNumbersWhole) {
  std::vector<std::string> expected{"đăng", "ký", "tk", "dvc", "mã", "1.001193", "vneid", "d9ang"};
  EXPECT_EQ(tokens("Đăng-ký TK DVC (mã 1.001193)? VNeID d9ang"), expected);
  EXPECT_TRUE(tokens(" ,.;!? ").empty());
}

TEST(Terms, SpellingVariantsShareKeys) {
  EXPECT_EQ(term("hoà"), term("hòa"));
  EXPECT_EQ(term("kỹ").marked, term("kĩ").marked);
  EXPECT_EQ(term("kỹ").word, "kỹ");
  EXPECT_EQ(term("ký").folded, term("kí").folded);
  EXPECT_EQ(term("ky").folded, "ki");
  EXPECT_EQ(term("lý").marked, "lí");
  EXPECT_EQ(term("quy").folded, term("qui").folded);
  EXPECT_EQ(term("mỹ").marked, term("mĩ").marked);
  EXPECT_EQ(term("thủy").folded, "thuy");  // "uy" is not the lone y
  EXPECT_EQ(term("ý").marked, "ý");
  EXPECT_NE(term("mã").marked, term("má").marked);
  EXPECT_EQ(term("mã").folded, term("má").folded);
}

TEST(HasMarks, SeesTonesQualityMarksAndDStroke) {
  EXPECT_TRUE(has_marks("dang ky tài"));
  EXPECT_TRUE(has_marks("đi"));
  EXPECT_TRUE(has_marks("ơ"));
  EXPECT_FALSE(has_marks("dang ky tai khoan"));
}

TEST(Syllable, WellFormedSyllablesFollowVietnamesePhonotactics) {
  auto well_formed = [](std::string_view text) {
    auto syllable = spell(unicode::decompose(unicode::decode(text)));
    return syllable && is_well_formed(*syllable);
  };
  EXPECT_TRUE(well_formed("nghiêng"));
  EXPECT_TRUE(well_formed("quyết"));
  EXPECT_TRUE(well_formed("đăng"));
  EXPECT_FALSE(well_formed("email"));
  EXPECT_FALSE(well_formed("facebook"));
  EXPECT_FALSE(well_formed("cáp") && !well_formed("cáp"));
  EXPECT_FALSE(well_formed("càp"));  // a stop final takes only the acute or dot tone
  EXPECT_FALSE(well_formed("str"));
}

}  // namespace
}  // namespace dvchub::text
