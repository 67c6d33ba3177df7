#include "accounts/password_hasher.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include <sodium.h>

namespace dvchub::accounts {
namespace {

// Initialises libsodium exactly once (a function-local static is initialised thread-safely). sodium_init() returns
// 0 on first success and 1 when already initialised; -1 means no usable entropy source.
void ensure_sodium() {
  static const bool initialised = [] {
    if (sodium_init() < 0) {
      std::fputs("dvchub: libsodium could not initialise (no entropy source); stopping\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)initialised;
}

std::vector<unsigned char> random_bytes(std::size_t byte_count) {
  ensure_sodium();
  std::vector<unsigned char> bytes(byte_count);
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

std::string to_hex(const unsigned char* bytes, std::size_t byte_count) {
  std::string hex(byte_count * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, byte_count);
  hex.pop_back();  // the terminating NUL
  return hex;
}

}  // namespace

PasswordCost PasswordCost::interactive() {
  return PasswordCost{crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::minimum() {
  return PasswordCost{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(PasswordCost cost) : cost_(cost) {
  ensure_sodium();
  // The dummy password is random, so nobody can know a password that matches the dummy hash.
  dummy_hash_ = hash(random_token_hex(16)).value_or(std::string{});
}

Result<std::string> PasswordHasher::hash(std::string_view password) const {
  ensure_sodium();
  char encoded[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), cost_.operations, cost_.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return fail(ErrorCode::internal, "Không thể lưu mật khẩu lúc này, vui lòng thử lại",
                "crypto_pwhash_str_alg failed (out of memory?)");
  }
  return std::string(encoded);
}

bool PasswordHasher::verify(std::string_view encoded_hash, std::string_view password) const {
  ensure_sodium();
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(encoded_hash);  // libsodium reads a NUL-terminated string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::verify_dummy(std::string_view password) const {
  if (dummy_hash_.empty()) {
    (void)hash(password);  // the same work as a verify at this cost
    return;
  }
  (void)verify(dummy_hash_, password);
}

bool PasswordHasher::needs_rehash(std::string_view encoded_hash) const {
  ensure_sodium();
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string terminated(encoded_hash);
  // 0: argon2id at exactly this cost; 1: other parameters or argon2i; -1: not a libsodium hash at all.
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), cost_.operations, cost_.memory_bytes) != 0;
}

std::string random_token_hex(std::size_t byte_count) {
  if (byte_count == 0) return {};  // libsodium's arguments must not be null
  const auto bytes = random_bytes(byte_count);
  return to_hex(bytes.data(), bytes.size());
}

std::string random_token_base64url(std::size_t byte_count) {
  if (byte_count == 0) return {};
  const auto bytes = random_bytes(byte_count);
  constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string encoded(sodium_base64_ENCODED_LEN(byte_count, variant), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), bytes.data(), bytes.size(), variant);
  encoded.resize(std::char_traits<char>::length(encoded.c_str()));  // drop the NUL and unused room
  return encoded;
}

std::string token_hash(std::string_view token) {
  ensure_sodium();
  unsigned char digest[crypto_generichash_BYTES];  // 32 bytes: BLAKE2b-256
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  return to_hex(digest, sizeof digest);
}

bool constant_time_equals(std::string_view left, std::string_view right) {
  ensure_sodium();
  if (left.size() != right.size()) return false;
  if (left.empty()) return true;
  return sodium_memcmp(left.data(), right.data(), left.size()) == 0;
}

}  // namespace dvchub::accounts
