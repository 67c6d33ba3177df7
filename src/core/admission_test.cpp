#include "core/admission.h"

#include <future>
#include <thread>

#include <gtest/gtest.h>

namespace dvchub {
namespace {

using std::chrono::milliseconds;

TEST(AdmissionTest, TurnsAwayAtOnceWhenFullAndNobodyMayWait) {
  Admission admission(2, 0);
  auto first = admission.enter(milliseconds(0));
  auto second = admission.enter(milliseconds(0));
  ASSERT_TRUE(first && second);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(admission.enter(milliseconds(5000)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(1000)) << "no waiting room: refused at once";
  first.reset();
  EXPECT_TRUE(admission.enter(milliseconds(0))) << "a ticket given back makes room";
}

TEST(AdmissionTest, AWaiterGetsInWhenATicketIsGivenBackAndOthersAreTurnedAway) {
  Admission admission(1, 1);
  auto holder = admission.enter(milliseconds(0));
  ASSERT_TRUE(holder);
  auto waiter = std::async(std::launch::async, [&] { return admission.enter(milliseconds(30000)).has_value(); });
  for (int attempt = 0; attempt < 2000 && admission.waiting() == 0; ++attempt) std::this_thread::sleep_for(milliseconds(5));
  ASSERT_EQ(admission.waiting(), 1u);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(admission.enter(milliseconds(5000))) << "the waiting room is full";
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(1000)) << "refused at once";
  EXPECT_EQ(waiter.wait_for(milliseconds(50)), std::future_status::timeout) << "still waiting for the holder";
  holder.reset();
  EXPECT_TRUE(waiter.get());
}

TEST(AdmissionTest, AWaiterGivesUpAfterItsPatience) {
  Admission admission(1, 1);
  auto holder = admission.enter(milliseconds(0));
  ASSERT_TRUE(holder);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(admission.enter(milliseconds(50)));
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(50));
}

}  // namespace
}  // namespace dvchub
