#include "text/vocabulary.h"

#include <gtest/gtest.h>

namespace dvchub::text {
namespace {

Vocabulary sample() {
  Vocabulary vocabulary;
  for (const char* passage : {"Đăng ký tài khoản dịch vụ công", "giấy xác nhận tình trạng hôn nhân",
                              "bổ sung hồ sơ", "đăng ký tạm trú", "nộp hồ sơ trên dịch vụ công",
                              "dịch vụ công trực tuyến", "lưu ý bạn nên đọc kỹ", "ủy quyền"}) {
    vocabulary.add(terms(passage));
  }
  return vocabulary;
}

std::string joined(const std::vector<Term>& terms) {
  std::string text;
  for (const auto& term : terms) text += (text.empty() ? "" : " ") + term.word;
  return text;
}

TEST(Vocabulary, RestoresMarksFromTheKnownPairs) {
  auto vocabulary = sample();
  std::vector<std::string> expected{"đăng", "ký", "tài", "khoản", "dịch", "vụ", "công"};
  EXPECT_EQ(vocabulary.restore_marks(terms("dang ky tai khoan dich vu cong")), expected);
  // Marked words and unknown words stay as typed.
  std::vector<std::string> kept{"đăng", "ký", "facebook"};
  EXPECT_EQ(vocabulary.restore_marks(terms("đăng ky facebook")), kept);
}

TEST(Vocabulary, FixesAMisspeltWordFromItsNeighbours) {
  auto vocabulary = sample();
  const auto& lexicon = Lexicon::standard();
  EXPECT_EQ(joined(vocabulary.corrected(terms("giấy xác nhận tình trạn hôn nhân"), lexicon)),
            "giấy xác nhận tình trạng hôn nhân");
  EXPECT_EQ(joined(vocabulary.corrected(terms("bổ xung hồ sơ"), lexicon)), "bổ sung hồ sơ");   // s/x
  EXPECT_EQ(joined(vocabulary.corrected(terms("đăng ký tạm chú"), lexicon)), "đăng ký tạm trú");  // tr/ch
}

TEST(Vocabulary, LeavesWordsThatFitOrThatTheTextUsesItself) {
  auto vocabulary = sample();
  const auto& lexicon = Lexicon::standard();
  EXPECT_EQ(joined(vocabulary.corrected(terms("đăng ký tài khoản"), lexicon)), "đăng ký tài khoản");
  EXPECT_EQ(joined(vocabulary.corrected(terms("ủy bạn"), lexicon)), "ủy bạn");  // "ủy" is a known word
  EXPECT_EQ(joined(vocabulary.corrected(terms("mã 12345"), lexicon)), "mã 12345");
  EXPECT_TRUE(vocabulary.has_pair("dich", "vu"));
  EXPECT_FALSE(vocabulary.has_pair("vu", "dich"));
  EXPECT_TRUE(vocabulary.has_word("cong"));
}

TEST(Vocabulary, RemovingAPassageTakesBackWhatItAdded) {
  auto vocabulary = sample();
  const auto added = terms("lịch phà qua sông tình trạn");
  vocabulary.add(added);
  EXPECT_TRUE(vocabulary.has_pair("pha", "qua"));
  EXPECT_EQ(joined(vocabulary.corrected(terms("lịch phà qua sôn"), Lexicon::standard())), "lịch phà qua sông");
  vocabulary.remove(added);
  EXPECT_FALSE(vocabulary.has_word("pha"));
  EXPECT_FALSE(vocabulary.has_pair("pha", "qua"));
  EXPECT_EQ(joined(vocabulary.corrected(terms("lịch phà qua sôn"), Lexicon::standard())), "lịch phà qua sôn");
  // What other passages added stays: "tình trạng" came from the sample, "tình trạn" only from the removed passage.
  EXPECT_TRUE(vocabulary.has_pair("tinh", "trang"));
  EXPECT_FALSE(vocabulary.has_pair("tinh", "tran"));
  EXPECT_EQ(joined(vocabulary.corrected(terms("giấy xác nhận tình trạn hôn nhân"), Lexicon::standard())),
            "giấy xác nhận tình trạng hôn nhân");
}

}  // namespace
}  // namespace dvchub::text
