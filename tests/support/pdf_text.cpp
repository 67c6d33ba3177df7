#include "support/pdf_text.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>

namespace dvchub::testing {

std::string pdf_text(const std::string& pdf) {
  char path[] = "/tmp/dvchub-pdf-text-XXXXXX";
  const int descriptor = ::mkstemp(path);
  if (descriptor < 0) return {};
  ::close(descriptor);
  std::ofstream(path, std::ios::binary) << pdf;
  const std::string command = std::string("pdftotext -enc UTF-8 '") + path + "' - 2>/dev/null";
  std::string text;
  {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    std::array<char, 4096> buffer{};
    while (pipe && !std::feof(pipe.get())) {
      const std::size_t read = std::fread(buffer.data(), 1, buffer.size(), pipe.get());
      if (read == 0) break;
      text.append(buffer.data(), read);
    }
  }
  std::remove(path);
  return text;
}

}  // namespace dvchub::testing
