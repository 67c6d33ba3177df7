// text/unicode.h — the ICU adapter of the text module: decoding, normalisation forms, case and character classes.
// Only unicode.cpp includes ICU; the rest of dvchub reaches it through text/vietnamese.h and this header.
// Every function is pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace dvchub::text::unicode {

// Code points of UTF-8 text; each invalid byte sequence becomes U+FFFD.
std::u32string decode(std::string_view utf8);

// UTF-8 of code points (lone surrogates and values past U+10FFFF become U+FFFD).
std::string encode(std::u32string_view code_points);

// Canonical composition (NFC), with canonical reordering of combining marks.
std::u32string compose(std::u32string_view code_points);

// Canonical decomposition (NFD).
std::u32string decompose(std::u32string_view code_points);

// Simple (one code point to one code point) lower-case mapping.
char32_t lowercase(char32_t code_point);

// UTF-8 text in capitals by the full Vietnamese case mapping ("Phòng Văn hóa, Khoa học" → "PHÒNG VĂN HÓA, KHOA
// HỌC"; "đ" → "Đ"), as Decree 30/2020/NĐ-CP writes issuers' names. Invalid byte sequences become U+FFFD.
std::string uppercase(std::string_view utf8);

// General categories used by tokenisation and folding.
bool is_letter(char32_t code_point);
bool is_nonspacing_mark(char32_t code_point);  // Mn: the accents of decomposed text
bool is_digit(char32_t code_point);            // Nd
// Invisible format characters that keyboards and web pages leave in text: zero-width space/joiners, word joiner,
// byte-order mark, soft hyphen.
bool is_invisible(char32_t code_point);

}  // namespace dvchub::text::unicode
