// core/admission.h — a gate in front of expensive work that anyone can ask for (a public page that scans millions of
// rows): at most `running` at once, at most `waiting` more waiting for a turn, and everyone else turned away at once,
// so a burst of such requests can neither exhaust memory nor hold every handler thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>

namespace dvchub {

class Admission {
 public:
  // Leaves the gate when destroyed, letting the longest waiter in.
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept : admission_(other.admission_) { other.admission_ = nullptr; }
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (admission_) admission_->leave();
    }

   private:
    friend class Admission;
    explicit Ticket(Admission* admission) : admission_(admission) {}
    Admission* admission_;
  };

  Admission(std::size_t running, std::size_t waiting) : running_limit_(running), waiting_limit_(waiting) {}
  Admission(const Admission&) = delete;
  Admission& operator=(const Admission&) = delete;

  // A ticket when there is room now, or after waiting at most `patience` for one when fewer than `waiting` others
  // wait already; nullopt otherwise. Thread-safe; the ticket must not outlive the Admission.
  std::optional<Ticket> enter(std::chrono::milliseconds patience) {
    std::unique_lock lock(mutex_);
    if (running_ < running_limit_ && waiters_ == 0) {
      ++running_;
      return Ticket(this);
    }
    if (waiters_ >= waiting_limit_) return std::nullopt;
    ++waiters_;
    const bool admitted = room_.wait_for(lock, patience, [&] { return running_ < running_limit_; });
    --waiters_;
    if (!admitted) return std::nullopt;
    ++running_;
    return Ticket(this);
  }

  // How many wait for a turn now. Thread-safe.
  std::size_t waiting() const {
    std::lock_guard lock(mutex_);
    return waiters_;
  }

 private:
  void leave() {
    {
      std::lock_guard lock(mutex_);
      --running_;
    }
    room_.notify_one();
  }

  const std::size_t running_limit_;
  const std::size_t waiting_limit_;
  mutable std::mutex mutex_;
  std::condition_variable room_;
  std::size_t running_ = 0;
  std::size_t waiters_ = 0;
};

}  // namespace dvchub
