#include "core/recent_memory.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace dvchub {
namespace {

TEST(RecentMemoryTest, FindsWhatItRemembersAndForgetsTheOldestFirstWhenFull) {
  RecentMemory<int> memory(3);
  EXPECT_EQ(memory.find("a"), nullptr);
  EXPECT_FALSE(memory.remember("a", 1));
  EXPECT_FALSE(memory.remember("b", 2));
  EXPECT_FALSE(memory.remember("c", 3));
  ASSERT_NE(memory.find("b"), nullptr);
  EXPECT_EQ(*memory.find("b"), 2);

  // Full: "a" arrived first, so it goes first, and its value is handed back.
  EXPECT_EQ(memory.remember("d", 4), std::optional<int>(1));
  EXPECT_EQ(memory.find("a"), nullptr);
  EXPECT_EQ(memory.size(), 3u);
  EXPECT_EQ(memory.remember("e", 5), std::optional<int>(2));
  EXPECT_EQ(memory.remember("f", 6), std::optional<int>(3));
  EXPECT_EQ(memory.remember("g", 7), std::optional<int>(4));
  EXPECT_EQ(*memory.find("e"), 5);
  EXPECT_EQ(*memory.find("g"), 7);
}

TEST(RecentMemoryTest, AKeyRememberedAgainKeepsItsFirstValueAndPlace) {
  RecentMemory<int> memory(2);
  EXPECT_FALSE(memory.remember("a", 1));
  EXPECT_FALSE(memory.remember("a", 9));
  EXPECT_EQ(*memory.find("a"), 1);
  EXPECT_EQ(memory.size(), 1u);
  EXPECT_FALSE(memory.remember("b", 2));
  EXPECT_EQ(memory.remember("c", 3), std::optional<int>(1));
}

TEST(RecentMemoryTest, AValueChangedInPlaceKeepsItsPlaceInTheOrderOfArrival) {
  RecentMemory<int> memory(2);
  memory.remember("a", 1);
  memory.remember("b", 2);
  int* found = memory.find("a");
  ASSERT_NE(found, nullptr);
  *found = 10;
  EXPECT_EQ(*memory.find("a"), 10);
  EXPECT_EQ(memory.remember("c", 3), std::optional<int>(10));  // still the oldest
}

TEST(RecentMemoryTest, ManyTimesItsCapacityLeavesExactlyTheLatestEntries) {
  // Values that own memory: under AddressSanitizer a stale iterator into the map would be caught here.
  constexpr std::size_t capacity = 100;
  RecentMemory<std::unique_ptr<std::string>> memory(capacity);
  for (std::size_t number = 0; number < 10 * capacity + 37; ++number) {
    auto forgotten = memory.remember("question " + std::to_string(number),
                                     std::make_unique<std::string>("answer " + std::to_string(number)));
    if (number < capacity) {
      EXPECT_FALSE(forgotten);
    } else {
      ASSERT_TRUE(forgotten);
      EXPECT_EQ(**forgotten, "answer " + std::to_string(number - capacity));
    }
  }
  EXPECT_EQ(memory.size(), capacity);
  for (std::size_t number = 0; number < 10 * capacity + 37; ++number) {
    const auto* found = memory.find("question " + std::to_string(number));
    if (number < 9 * capacity + 37) {
      EXPECT_EQ(found, nullptr) << number;
    } else {
      ASSERT_NE(found, nullptr) << number;
      EXPECT_EQ(**found, "answer " + std::to_string(number));
    }
  }
}

TEST(RecentMemoryTest, SwappingWithAnEmptyMemoryForgetsEverythingAndBothKeepWorking) {
  RecentMemory<int> memory(2);
  memory.remember("a", 1);
  memory.remember("b", 2);
  RecentMemory<int> forgotten(2);
  memory.swap(forgotten);
  EXPECT_EQ(memory.size(), 0u);
  EXPECT_EQ(memory.find("a"), nullptr);
  EXPECT_EQ(*forgotten.find("a"), 1);
  // The swapped-out memory still forgets in order of arrival.
  EXPECT_EQ(forgotten.remember("c", 3), std::optional<int>(1));
  EXPECT_FALSE(memory.remember("x", 10));
  EXPECT_FALSE(memory.remember("y", 11));
  EXPECT_EQ(memory.remember("z", 12), std::optional<int>(10));
}

}  // namespace
}  // namespace dvchub
