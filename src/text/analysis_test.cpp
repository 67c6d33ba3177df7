#include "text/analysis.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace dvchub::text {
namespace {

const Analyzer& analyzer() {
  static const Analyzer instance = [] {
    auto inventory = SyllableInventory::common();
    inventory.add_text("Đăng ký tài khoản trên Cổng Dịch vụ công quốc gia bằng ứng dụng VNeID");
    return Analyzer(std::move(inventory));
  }();
  return instance;
}

std::vector<std::string> marked(const std::vector<Term>& terms) {
  std::vector<std::string> words;
  for (const auto& term : terms) words.push_back(term.word);
  return words;
}

TEST(KeystrokeRepair, TurnsTelexAndVniLeftoversIntoRealSyllables) {
  const auto& inventory = analyzer().inventory();
  EXPECT_EQ(inventory.repair_keystrokes("ddawng"), "đăng");
  EXPECT_EQ(inventory.repair_keystrokes("kys"), "ký");
  EXPECT_EQ(inventory.repair_keystrokes("taif"), "tài");
  EXPECT_EQ(inventory.repair_keystrokes("khoanr"), "khoản");
  EXPECT_EQ(inventory.repair_keystrokes("nguowif"), "người");
  EXPECT_EQ(inventory.repair_keystrokes("hoawcj"), "hoặc");
  EXPECT_EQ(inventory.repair_keystrokes("d9ang"), "đang");
  EXPECT_EQ(inventory.repair_keystrokes("d9a8ng"), "đăng");
  EXPECT_EQ(inventory.repair_keystrokes("ky1"), "ký");
}

TEST(KeystrokeRepair, LeavesWordsThatDoNotBecomeRealSyllables) {
  const auto& inventory = analyzer().inventory();
  EXPECT_EQ(inventory.repair_keystrokes("email"), std::nullopt);
  EXPECT_EQ(inventory.repair_keystrokes("facebook"), std::nullopt);
  EXPECT_EQ(inventory.repair_keystrokes("dang"), std::nullopt);   // already an unmarked syllable
  EXPECT_EQ(inventory.repair_keystrokes("tai"), std::nullopt);
  EXPECT_EQ(inventory.repair_keystrokes("xyzw"), std::nullopt);
  EXPECT_EQ(inventory.repair_keystrokes("as"), std::nullopt);     // too short to tell
  EXPECT_EQ(inventory.repair_keystrokes("2024"), std::nullopt);
}

TEST(Analyzer, RepairsTelexInAQuestionAndCountsItAsMarked) {
  auto query = analyzer().analyze("ddawng kys taif khoanr");
  EXPECT_EQ(query.text(), "đăng ký tài khoản");
  EXPECT_TRUE(query.has_diacritics);
  ASSERT_EQ(query.corrections.size(), 4u);
  EXPECT_EQ(query.corrections[0], (Correction{"ddawng", "đăng"}));
}

TEST(Analyzer, KeepsForeignWordsAndAbbreviationsAsTyped) {
  auto query = analyzer().analyze("quên mật khẩu email facebook max");
  EXPECT_EQ(query.text(), "quên mật khẩu email facebook max");
  EXPECT_TRUE(query.corrections.empty());
}

TEST(Analyzer, RewritesChatShorthandAndExpandsAbbreviations) {
  auto query = analyzer().analyze("dang ky tk DVC bang CCCD ko dc");
  EXPECT_EQ(marked(query.terms),
            (std::vector<std::string>{"dang", "ky", "tài", "khoản", "dvc", "bang", "cccd", "không", "được"}));
  EXPECT_FALSE(query.has_diacritics);  // rewrites do not count as marks the user typed
  auto has_expansion = [&](const std::string& text) {
    return std::any_of(query.expansions.begin(), query.expansions.end(), [&](const Expansion& expansion) {
      std::string joined;
      for (const auto& term : expansion.phrase) joined += (joined.empty() ? "" : " ") + term.word;
      return joined == text;
    });
  };
  EXPECT_TRUE(has_expansion("dịch vụ công"));
  EXPECT_TRUE(has_expansion("căn cước công dân"));
}

TEST(Analyzer, ExpandsMultiWordPhrases) {
  auto query = analyzer().analyze("bo phan mot cua o dau");
  bool found = std::any_of(query.expansions.begin(), query.expansions.end(), [](const Expansion& expansion) {
    const auto& phrase = expansion.phrase;
    return expansion.begin == 0 && expansion.length == 4 && phrase.size() == 8 && phrase[0].folded == "bo" &&
           phrase[3].folded == "nhan";
  });
  EXPECT_TRUE(found);  // "bộ phận tiếp nhận và trả kết quả" for "bo phan mot cua"
}

TEST(Lexicon, StandardFileParsesAndKnowsFunctionWords) {
  const auto& lexicon = Lexicon::standard();
  EXPECT_TRUE(lexicon.is_function_word(term("tôi")));
  EXPECT_TRUE(lexicon.is_function_word(term("khong")));
  EXPECT_FALSE(lexicon.is_function_word(term("đăng")));
  EXPECT_FALSE(lexicon.is_function_word(term("dang")));
  EXPECT_TRUE(lexicon.is_foreign_word("max"));
}

TEST(Lexicon, ReportsTheLineOfAMalformedEntry) {
  auto parsed = Lexicon::parse("[rewrites]\ntk => tài khoản\nmk mật khẩu\n");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("Dòng 3"), std::string::npos);
  EXPECT_FALSE(Lexicon::parse("no section\n"));
  EXPECT_FALSE(Lexicon::parse("[equivalents]\nonly one\n"));
}

}  // namespace
}  // namespace dvchub::text
