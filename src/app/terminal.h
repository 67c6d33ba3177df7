// app/terminal.h — small helpers for the command line: progress bars and password prompts.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace dvchub::app {

// Draws "label [=====>    ] 45% (450/1000)" on standard error when it is a terminal, updating in place at most
// every 1 % (and always at the end). Prints nothing when standard error is not a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label) : label_(std::move(label)) {}
  ~ProgressBar();
  void update(std::size_t done, std::size_t total);

 private:
  std::string label_;
  int last_percent_ = -1;
  bool drawn_ = false;
};

// Reads a password: prompts twice without echo on a terminal, or reads one line from standard input otherwise
// (scripts: `echo "$PASSWORD" | dvchub user add …`). nullopt when the two entries differ or input ends.
std::optional<std::string> read_password(const std::string& prompt);

}  // namespace dvchub::app
