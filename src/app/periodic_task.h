// app/periodic_task.h — runs a function on its own thread every interval until destroyed (cache refreshes,
// purging expired sessions). The first run happens one interval after construction, or at once when asked.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace dvchub::app {

// When the first run happens.
enum class FirstRun { after_interval, at_once };

class PeriodicTask {
 public:
  // Starts the thread; `task` runs on it, one run at a time, `interval` after the end of the previous run.
  PeriodicTask(std::function<void()> task, std::chrono::milliseconds interval,
               FirstRun first_run = FirstRun::after_interval);
  // Stops the thread, waiting for a run in progress to end.
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  std::function<void()> task_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace dvchub::app
