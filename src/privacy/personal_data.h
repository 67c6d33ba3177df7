// privacy/personal_data.h — finding and masking personal data in free text before it is stored or shown:
// identity numbers (CCCD 12 digits, CMND 9), phone numbers, e-mail addresses, and secrets typed after a cue
// ("mật khẩu …", "mk …", "OTP …", "mã xác thực …").
#pragma once

#include <string>
#include <string_view>

namespace dvchub::privacy {

struct Findings {
  bool identity_number = false;  // 9 or 12 digits in a row (spaces and dots between groups allowed)
  bool phone_number = false;     // 10–11 digits starting with 0, or +84 …
  bool email = false;
  bool secret = false;           // a password or one-time code after a cue word
  bool any() const { return identity_number || phone_number || email || secret; }
};

// What `text` contains. UTF-8 in, nothing changed.
Findings find_personal_data(std::string_view text);

// `text` with every finding replaced by "***" (identity and phone numbers keep no digit). UTF-8 safe.
std::string mask_personal_data(std::string_view text);

}  // namespace dvchub::privacy
