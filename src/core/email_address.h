// core/email_address.h — the one check of an e-mail address, shared by staff accounts (where an address is
// stored) and the mail sender (where it becomes an SMTP recipient and a header): a conservative subset of RFC 5321
// addresses, so nothing stored can inject a header or an SMTP command.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dvchub {

inline constexpr std::size_t longest_email_address = 254;  // bytes (RFC 5321 path limit less the brackets)

// Why `address` is not an acceptable e-mail address (a Vietnamese message), or nullopt when it is: exactly one @;
// a local part of 1–64 characters from A-Z a-z 0-9 and ! # $ % & ' * + - / = ? ^ _ ` { | } ~ . (no leading,
// trailing or doubled dot); a domain of dot-separated labels of A-Z a-z 0-9 and - (not at a label's ends), with
// at least one dot; at most longest_email_address bytes. No spaces, control characters, quotes or brackets.
std::optional<std::string> email_address_problem(std::string_view address);

}  // namespace dvchub
