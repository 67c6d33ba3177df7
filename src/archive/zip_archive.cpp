#include "archive/zip_archive.h"

#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace dvchub::archive {
namespace {

// Removes the temporary file however the write ends.
struct TemporaryFile {
  std::string path;
  ~TemporaryFile() {
    if (!path.empty()) std::remove(path.c_str());
  }
};

}  // namespace

Result<std::string> write_zip(const std::vector<ZipEntry>& entries) {
  if (entries.empty()) return fail(ErrorCode::invalid_input, "Tệp nén cần ít nhất một mục");
  std::set<std::string> paths;
  for (const auto& entry : entries) {
    if (entry.path.empty() || !paths.insert(entry.path).second) {
      return fail(ErrorCode::invalid_input, "Đường dẫn trong tệp nén trống hoặc bị lặp: " + entry.path);
    }
  }
  const char* directory = std::getenv("TMPDIR");
  std::string pattern = std::string(directory && *directory ? directory : "/tmp") + "/dvchub-zip-XXXXXX";
  const int descriptor = ::mkstemp(pattern.data());
  if (descriptor < 0) return fail(ErrorCode::internal, "Không tạo được tệp nén", "mkstemp failed");
  ::close(descriptor);
  TemporaryFile file{pattern};

  zipFile archive = zipOpen64(file.path.c_str(), APPEND_STATUS_CREATE);
  if (!archive) return fail(ErrorCode::internal, "Không tạo được tệp nén", "zipOpen64 failed");
  for (const auto& entry : entries) {
    zip_fileinfo information{};
    information.tmz_date.tm_mday = 1;  // 01/01/1980, the zip epoch: the same bytes for the same entries
    information.tmz_date.tm_year = 1980;
    int status = zipOpenNewFileInZip4_64(archive, entry.path.c_str(), &information, nullptr, 0, nullptr, 0, nullptr,
                                         Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0, -MAX_WBITS, DEF_MEM_LEVEL,
                                         Z_DEFAULT_STRATEGY, nullptr, 0, 0, /*flagBase: UTF-8 names*/ 1 << 11,
                                         entry.bytes.size() >= 0xFFFFFFFFu);
    if (status == ZIP_OK && !entry.bytes.empty()) {
      status = zipWriteInFileInZip(archive, entry.bytes.data(), static_cast<unsigned>(entry.bytes.size()));
    }
    if (status == ZIP_OK) status = zipCloseFileInZip(archive);
    if (status != ZIP_OK) {
      zipClose(archive, nullptr);
      return fail(ErrorCode::internal, "Không ghi được tệp nén", "minizip error " + std::to_string(status));
    }
  }
  if (zipClose(archive, nullptr) != ZIP_OK) {
    return fail(ErrorCode::internal, "Không ghi được tệp nén", "zipClose failed");
  }
  std::ifstream input(file.path, std::ios::binary);
  std::ostringstream bytes;
  bytes << input.rdbuf();
  if (!input) return fail(ErrorCode::internal, "Không đọc lại được tệp nén", "reading the temporary file failed");
  return bytes.str();
}

}  // namespace dvchub::archive
