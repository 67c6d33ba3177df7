#include "accounts/access.h"

#include <fmt/format.h>

#include "accounts/password_hasher.h"

namespace dvchub::accounts {

const char* role_name(Role role) {
  switch (role) {
    case Role::admin: return "admin";
    case Role::coordinator: return "coordinator";
    case Role::officer: return "officer";
    case Role::viewer: return "viewer";
  }
  return "viewer";
}

const char* role_label(Role role) {
  switch (role) {
    case Role::admin: return "Quản trị viên";
    case Role::coordinator: return "Điều phối viên";
    case Role::officer: return "Cán bộ đơn vị";
    case Role::viewer: return "Người xem";
  }
  return "Người xem";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role role : {Role::admin, Role::coordinator, Role::officer, Role::viewer}) {
    if (name == role_name(role)) return role;
  }
  return std::nullopt;
}

bool allows(http::Access access, const http::Principal* principal) {
  if (access == http::Access::public_) return true;
  if (principal == nullptr) return false;
  const auto role = parse_role(principal->role);
  if (!role) return false;
  switch (access) {
    case http::Access::public_: return true;
    case http::Access::staff: return true;
    case http::Access::officer: return *role == Role::officer || *role == Role::coordinator || *role == Role::admin;
    case http::Access::coordinator: return *role == Role::coordinator || *role == Role::admin;
    case http::Access::admin: return *role == Role::admin;
  }
  return false;
}

Result<bool> can_act_on_unit(const http::Principal& principal, std::int64_t unit_id, UnitAction action,
                             const UnitWithin& unit_within) {
  const auto role = parse_role(principal.role);
  if (!role) return false;
  switch (*role) {
    case Role::admin:
    case Role::coordinator: return true;
    case Role::viewer: return action == UnitAction::read;
    case Role::officer:
      if (!principal.unit_id) return false;
      if (unit_id == *principal.unit_id) return true;
      return unit_within(unit_id, *principal.unit_id);
  }
  return false;
}

bool csrf_token_matches(const http::Principal& principal, std::string_view submitted) {
  if (principal.csrf_token.empty()) return false;
  return constant_time_equals(principal.csrf_token, submitted);
}

std::string session_cookie(std::string_view token, std::chrono::seconds max_age, bool secure) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}", session_cookie_name, token,
                     max_age.count() < 0 ? 0 : max_age.count(), secure ? "; Secure" : "");
}

std::string clearing_session_cookie(bool secure) {
  return fmt::format("{}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax{}",
                     session_cookie_name, secure ? "; Secure" : "");
}

}  // namespace dvchub::accounts
