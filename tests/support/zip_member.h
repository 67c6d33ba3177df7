// support/zip_member.h — reads one member of a zip file (XLSX, DOCX) as text in tests, through Debian's `unzip`
// (scripts/install-dependencies.sh installs it for tests).
#pragma once

#include <string>

namespace dvchub::testing {

// The uncompressed bytes of `member` ("xl/workbook.xml") of the zip archive held in `archive`; empty when the
// archive or the member cannot be read.
std::string zip_member(const std::string& archive, const std::string& member);

}  // namespace dvchub::testing
