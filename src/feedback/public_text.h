// feedback/public_text.h — what of a citizen's text may be shown publicly: personal data masked (privacy module:
// identity numbers, phones, e-mails, secrets), plus dossier codes and the names the citizen gave or introduced
// themselves with or are addressed by ("tôi là Nguyễn Văn A", "ông Khoa").
#pragma once

#include <string>
#include <string_view>

namespace dvchub::feedback {

// `text` with dossier codes (e.g. "000.00.20.H52-250403-0001", "H52.99-250101-0012": letter-and-digit groups
// joined by at least two hyphens, with at least eight digits and a letter or a dot, so dates such as 03-04-2025
// stay) replaced by "***". UTF-8 safe.
std::string mask_dossier_codes(std::string_view text);

// `text` fit for publication: every occurrence of `contact_name` (when not empty, compared exactly), the capitalised
// words (up to four) after "tôi là", "tên tôi là", "tôi tên là", "tôi tên" and after an honorific ("ông", "bà",
// "anh", "chị", "cô", "chú", "bác", "em"), dossier codes and everything privacy::mask_personal_data masks, replaced
// by "***".
std::string public_text(std::string_view text, std::string_view contact_name);

}  // namespace dvchub::feedback
