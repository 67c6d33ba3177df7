// core/clock.h — the injected source of "now", so deadlines and expiries are testable.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace dvchub {

using TimePoint = std::chrono::system_clock::time_point;

// Interface: returns the current instant. Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that tests set and advance by hand. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : microseconds_(to_microseconds(start)) {}
  TimePoint now() const override { return TimePoint(std::chrono::microseconds(microseconds_.load())); }
  void set(TimePoint instant) { microseconds_ = to_microseconds(instant); }
  void advance(std::chrono::microseconds by) { microseconds_ += by.count(); }

 private:
  static std::int64_t to_microseconds(TimePoint instant) {
    return std::chrono::duration_cast<std::chrono::microseconds>(instant.time_since_epoch()).count();
  }
  std::atomic<std::int64_t> microseconds_;
};

}  // namespace dvchub
