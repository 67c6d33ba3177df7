#include "app/terminal.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace dvchub::app {

ProgressBar::~ProgressBar() {
  if (drawn_) std::fputc('\n', stderr);
}

void ProgressBar::update(std::size_t done, std::size_t total) {
  if (!isatty(STDERR_FILENO) || total == 0) return;
  int percent = static_cast<int>(done * 100 / total);
  if (percent == last_percent_ && done != total) return;
  last_percent_ = percent;
  constexpr int width = 30;
  int filled = percent * width / 100;
  std::string bar(static_cast<std::size_t>(filled), '=');
  if (filled < width) bar += '>';
  bar.resize(width, ' ');
  std::fprintf(stderr, "\r%s [%s] %3d%% (%zu/%zu)", label_.c_str(), bar.c_str(), percent, done, total);
  std::fflush(stderr);
  drawn_ = true;
}

namespace {

std::optional<std::string> read_line_without_echo(const std::string& prompt) {
  std::fprintf(stderr, "%s", prompt.c_str());
  std::fflush(stderr);
  termios old_settings{};
  tcgetattr(STDIN_FILENO, &old_settings);
  termios quiet = old_settings;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string line;
  bool read = static_cast<bool>(std::getline(std::cin, line));
  tcsetattr(STDIN_FILENO, TCSANOW, &old_settings);
  std::fputc('\n', stderr);
  if (!read) return std::nullopt;
  return line;
}

}  // namespace

std::optional<std::string> read_password(const std::string& prompt) {
  if (!isatty(STDIN_FILENO)) {
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  auto first = read_line_without_echo(prompt + ": ");
  if (!first) return std::nullopt;
  auto second = read_line_without_echo("Nhập lại để xác nhận: ");
  if (!second || *first != *second) {
    std::fprintf(stderr, "Hai lần nhập không khớp.\n");
    return std::nullopt;
  }
  return first;
}

}  // namespace dvchub::app
