// multipart/form_data.h — the adapter to GMime for multipart/form-data request bodies (file uploads from pages that
// work without JavaScript). The only place that includes <gmime/gmime.h>. Owns: splitting a body into its named
// fields and files, with limits; what a module does with an uploaded file (types, storage) stays in that module.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dvchub::multipart {

// One part of the form: a text field (no filename) or a file.
struct Part {
  std::string name;                     // the form field's name
  std::optional<std::string> filename;  // set for files (as the browser sent it: untrusted, may be empty)
  std::string content_type;             // of the part; "text/plain" when the part named none
  std::string content;                  // the bytes, transfer encoding removed
};

// Bounds on what a body may hold; a body outside them is refused as a whole.
struct Limits {
  std::size_t max_parts = 32;
  std::size_t max_field_bytes = 64 * 1024;     // each text field
  std::size_t max_file_bytes = 10 * 1024 * 1024;  // each file
};

// The parts of one form, in the order sent.
class FormData {
 public:
  explicit FormData(std::vector<Part> parts) : parts_(std::move(parts)) {}
  const std::vector<Part>& parts() const { return parts_; }
  // The first text field of that name, if any.
  std::optional<std::string> field(std::string_view name) const;
  // The first file part of that name, if any (a file input left empty arrives as a part with an empty filename and
  // no bytes: that counts as no file).
  const Part* file(std::string_view name) const;

 private:
  std::vector<Part> parts_;
};

// True when a Content-Type header value announces multipart/form-data.
bool is_form_data(std::string_view content_type);

// Parses a multipart/form-data body sent with the Content-Type header value `content_type` (which carries the
// boundary). ErrorCode::invalid_input, with a Vietnamese message, for a body that is not multipart/form-data, has no
// closing boundary, nests multiparts, has a part without a name, or has more parts or bigger fields than `limits`
// allow (ErrorCode::payload_too_large for a file over max_file_bytes).
Result<FormData> parse_form_data(std::string_view content_type, std::string_view body, const Limits& limits = {});

}  // namespace dvchub::multipart
