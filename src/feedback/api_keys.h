// feedback/api_keys.h — keys of the Open311 clients that may file requests (GeoReport v2 "api_key"), issued and
// revoked by administrators. A key is 32 random bytes shown once when issued; the store keeps only its digest.
//
// Thread-safe: every call borrows its own connection. `database` and `clock` must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dvchub::feedback {

struct ApiKey {
  std::int64_t id = 0;
  std::string name;
  TimePoint created_at;
  std::string created_by;
  std::optional<TimePoint> revoked_at;
  std::optional<TimePoint> last_used_at;
};

struct IssuedKey {
  ApiKey key;
  std::string secret;  // shown once; never stored
};

class ApiKeyService {
 public:
  ApiKeyService(storage::Database& database, const Clock& clock) : database_(database), clock_(clock) {}

  // Issues a key for the client `name` (1–200 characters). invalid_input otherwise. Audited.
  Result<IssuedKey> issue(const std::string& name, const audit::Actor& actor);

  // Revokes key `id`: it stops working at once. not_found for an unknown id, conflict when already revoked. Audited.
  Result<void> revoke(std::int64_t id, const audit::Actor& actor);

  // Every key, newest first.
  Result<std::vector<ApiKey>> list() const;

  // The key `secret` belongs to, when it exists and is not revoked (its last use is recorded); nullopt otherwise.
  Result<std::optional<ApiKey>> verify(const std::string& secret);

 private:
  storage::Database& database_;
  const Clock& clock_;
};

}  // namespace dvchub::feedback
