// accounts/access.h — roles, who may call which route, who may act on which unit, CSRF checks and the session
// cookie. Pure functions over http::Principal: no store access, thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "http/message.h"
#include "http/router.h"

namespace dvchub::accounts {

// Staff roles, from most to least powerful. Citizens have no account and no role.
enum class Role {
  admin,        // manages accounts, units and settings; everything a coordinator may do
  coordinator,  // the lead office: watches and acts on every unit
  officer,      // acts for one unit and the units beneath it
  viewer,       // reads everything (leaders' dashboards), changes nothing
};

// The stored and wire name: "admin", "coordinator", "officer", "viewer".
const char* role_name(Role role);
// The Vietnamese label shown on screens: "Quản trị viên", "Điều phối viên", "Cán bộ đơn vị", "Người xem".
const char* role_label(Role role);
// The role of a stored name; nullopt for anything else (names are exact, lowercase).
std::optional<Role> parse_role(std::string_view name);

// Whether `principal` (nullptr: nobody signed in) may call a route guarded by `access`:
// public_ anyone; staff any signed-in account; officer: officer, coordinator, admin; coordinator: coordinator,
// admin; admin: admin only. A principal whose role string is unknown is allowed public_ routes only.
bool allows(http::Access access, const http::Principal* principal);

// What a staff member wants to do with a unit's data.
enum class UnitAction { read, write };

// Answers "is `unit_id` the unit `ancestor_id` itself or one beneath it (today)?", as the units module knows it.
// Returns an Error when the store cannot answer.
using UnitWithin = std::function<Result<bool>(std::int64_t unit_id, std::int64_t ancestor_id)>;

// Whether `principal` may `action` the data of unit `unit_id`. Admins and coordinators: every unit. Officers: their
// own unit and every unit beneath it (`unit_within(unit_id, principal.unit_id)`), read and write; an officer
// without a unit: nothing. Viewers: read every unit, write none. Unknown roles: nothing. `unit_within` is called
// only for officers; its Error is passed through.
Result<bool> can_act_on_unit(const http::Principal& principal, std::int64_t unit_id, UnitAction action,
                             const UnitWithin& unit_within);

// Where a form or a script sends the session's CSRF token: a form field and a request header.
inline constexpr std::string_view csrf_form_field = "csrf_token";
inline constexpr std::string_view csrf_header = "X-CSRF-Token";

// True when `submitted` equals the CSRF token of the principal's session, compared in constant time. False when
// the session has no token.
bool csrf_token_matches(const http::Principal& principal, std::string_view submitted);

// The name of the session cookie.
inline constexpr std::string_view session_cookie_name = "dvchub_session";

// The Set-Cookie header value that stores session `token` in the browser for `max_age`:
// "dvchub_session=TOKEN; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax" plus "; Secure" when `secure` (the site
// is served over TLS, directly or behind a proxy). `token` must be cookie-safe (AccountService tokens are
// base64url).
std::string session_cookie(std::string_view token, std::chrono::seconds max_age, bool secure);

// The Set-Cookie header value that removes the session cookie (sign-out): empty value, Max-Age=0 and an Expires
// in 1970 for old browsers, same attributes as session_cookie().
std::string clearing_session_cookie(bool secure);

}  // namespace dvchub::accounts
