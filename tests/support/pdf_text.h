// support/pdf_text.h — the text of a PDF in tests, through Debian's `pdftotext` (poppler-utils, installed for tests
// by scripts/install-dependencies.sh).
#pragma once

#include <string>

namespace dvchub::testing {

// The text pdftotext extracts from `pdf` (UTF-8, pages separated by form feeds); empty when it cannot.
std::string pdf_text(const std::string& pdf);

}  // namespace dvchub::testing
