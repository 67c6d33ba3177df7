// archive/zip_archive.h — zip archives (the container of DOCX files). The adapter for minizip lives in
// archive/zip_archive.cpp only.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace dvchub::archive {

struct ZipEntry {
  std::string path;   // inside the archive, "/"-separated, UTF-8: "word/document.xml"
  std::string bytes;
};

// The entries, deflated, as the bytes of a zip file, in the given order (a DOCX needs [Content_Types].xml first).
// Written through a private temporary file (minizip writes to files), removed before returning. invalid_input for
// no entries or an empty or repeated path; internal when the library fails. Thread-safe.
Result<std::string> write_zip(const std::vector<ZipEntry>& entries);

}  // namespace dvchub::archive
