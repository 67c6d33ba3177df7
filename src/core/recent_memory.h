// core/recent_memory.h — a memory of the latest `capacity` values by key: when full, remembering one more forgets the
// oldest one, so the cost of forgetting is one entry each time (forgetting thousands at once stalled the thread
// that did it for tens of milliseconds). Not thread-safe: the owner locks around it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dvchub {

template <typename Value>
class RecentMemory {
 public:
  // Holds at most `capacity` entries (at least one).
  explicit RecentMemory(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {
    entries_.reserve(capacity_);  // never rehashed: the order of arrival keeps iterators into it
    order_.reserve(capacity_);
  }

  // The value remembered for `key`, or null. Valid until the next change of the memory.
  const Value* find(const std::string& key) const {
    auto found = entries_.find(key);
    return found == entries_.end() ? nullptr : &found->second;
  }

  // The same, to change the value in place.
  Value* find(const std::string& key) {
    auto found = entries_.find(key);
    return found == entries_.end() ? nullptr : &found->second;
  }

  // Remembers `value` for `key`; a key already remembered keeps its first value. When the memory was full, the oldest
  // entry is forgotten and its value returned, for the caller to free after letting its lock go.
  std::optional<Value> remember(std::string key, Value value) {
    std::optional<Value> forgotten;
    if (entries_.contains(key)) return forgotten;
    if (entries_.size() == capacity_) {
      auto oldest = order_[next_];
      forgotten.emplace(std::move(oldest->second));
      entries_.erase(oldest);
      order_[next_] = entries_.emplace(std::move(key), std::move(value)).first;
      next_ = (next_ + 1) % capacity_;
    } else {
      order_.push_back(entries_.emplace(std::move(key), std::move(value)).first);
    }
    return forgotten;
  }

  // Exchanges the contents (and capacities) of two memories: a caller forgets everything at once by swapping with an
  // empty one and freeing that after letting its lock go.
  void swap(RecentMemory& other) noexcept {
    entries_.swap(other.entries_);  // iterators stay valid, now into the other map
    order_.swap(other.order_);
    std::swap(next_, other.next_);
    std::swap(capacity_, other.capacity_);
  }

  std::size_t size() const { return entries_.size(); }

 private:
  using Entries = std::unordered_map<std::string, Value>;
  std::size_t capacity_;
  Entries entries_;
  std::vector<typename Entries::iterator> order_;  // by arrival, a ring once full: order_[next_] is the oldest
  std::size_t next_ = 0;
};

}  // namespace dvchub
