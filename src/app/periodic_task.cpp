#include "app/periodic_task.h"

namespace dvchub::app {

PeriodicTask::PeriodicTask(std::function<void()> task, std::chrono::milliseconds interval, FirstRun first_run)
    : task_(std::move(task)), interval_(interval) {
  thread_ = std::thread([this, first_run] {
    if (first_run == FirstRun::at_once) task_();
    std::unique_lock lock(mutex_);
    while (!stop_signal_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      task_();
      lock.lock();
    }
  });
}

PeriodicTask::~PeriodicTask() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  thread_.join();
}

}  // namespace dvchub::app
