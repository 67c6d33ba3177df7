#include "support/zip_member.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>

namespace dvchub::testing {

std::string zip_member(const std::string& archive, const std::string& member) {
  char path[] = "/tmp/dvchub-zip-member-XXXXXX";
  const int descriptor = ::mkstemp(path);
  if (descriptor < 0) return {};
  ::close(descriptor);
  std::ofstream(path, std::ios::binary) << archive;
  const std::string command = std::string("unzip -p '") + path + "' '" + member + "' 2>/dev/null";
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
