// accounts/password_hasher.h — the libsodium adapter: password hashing (argon2id), random tokens, token hashes and
// constant-time comparison. The only file of dvchub that includes sodium.h is password_hasher.cpp.
//
// Every function here initialises libsodium on first use (once, thread-safe). If libsodium cannot initialise (no
// entropy source: the process could never issue a safe session), the process aborts with a message on stderr.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace dvchub::accounts {

// The argon2id work factor: passes over memory and memory size.
struct PasswordCost {
  std::uint64_t operations = 0;
  std::size_t memory_bytes = 0;

  // libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE: 2 passes over 64 MiB. Measured on this project's machines
  // (Debian 12, libsodium 1.0.18, -O2, 3 rounds of 10 calls, one core): 70–75 ms and 64 MiB per hash or verify,
  // so one core checks at most ~14 passwords a second. The production default.
  static PasswordCost interactive();
  // libsodium's minimum (1 pass over 8 KiB, ~0.03 ms measured as above). Far too cheap for real accounts: tests
  // only.
  static PasswordCost minimum();

  bool operator==(const PasswordCost&) const = default;
};

// Hashes and verifies passwords with argon2id at one cost. Thread-safe (immutable after construction).
class PasswordHasher {
 public:
  // Computes the dummy hash used by verify_dummy() (one hash at `cost`).
  explicit PasswordHasher(PasswordCost cost = PasswordCost::interactive());

  // The encoded hash ("$argon2id$v=19$m=65536,t=2,p=1$salt$hash") of `password` with a fresh random salt.
  // ErrorCode::internal when libsodium fails (out of memory).
  Result<std::string> hash(std::string_view password) const;

  // True when `password` matches `encoded_hash`. False for a wrong password and for a malformed hash.
  bool verify(std::string_view encoded_hash, std::string_view password) const;

  // Spends the time of one verify() against a hash that matches nothing, so that a sign-in for an unknown account
  // takes as long as one for a known account. Always "fails"; returns nothing.
  void verify_dummy(std::string_view password) const;

  // True when `encoded_hash` was made with another algorithm or cost than this hasher's: hash the password again
  // after the next successful verify().
  bool needs_rehash(std::string_view encoded_hash) const;

  const PasswordCost& cost() const { return cost_; }

 private:
  PasswordCost cost_;
  std::string dummy_hash_;  // empty when it could not be computed; verify_dummy() then hashes instead
};

// `byte_count` bytes from the operating system's cryptographic random source, as lowercase hex (2 characters a
// byte). Thread-safe.
std::string random_token_hex(std::size_t byte_count);

// `byte_count` cryptographically random bytes as unpadded base64url (RFC 4648 §5: A–Z a–z 0–9 - _), safe in cookies,
// URLs and form fields. 32 bytes give 43 characters. Thread-safe.
std::string random_token_base64url(std::size_t byte_count);

// A keyless BLAKE2b-256 digest of `token` as 64 lowercase hex characters: what the store keeps instead of a session
// token, so a leaked sessions table cannot be replayed. Deterministic and thread-safe.
std::string token_hash(std::string_view token);

// Compares two strings in time that depends only on their lengths, not on where they differ. Use it for every
// comparison of secrets (CSRF tokens, keys). Different lengths compare unequal.
bool constant_time_equals(std::string_view left, std::string_view right);

}  // namespace dvchub::accounts
