// http/message.h — dvchub's own request and response types. Handlers and domain code see only these; the Beast
// adapter (http/server.cpp) converts from and to the wire.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dvchub::http {

enum class Method { get, head, post, put, patch, delete_, options, other };

// The method's token as sent on the wire ("GET", "DELETE", ...); "OTHER" for Method::other.
const char* method_name(Method method);

// Case-insensitive header lookup over a small list (requests carry few headers).
class Headers {
 public:
  void add(std::string name, std::string value) { entries_.emplace_back(std::move(name), std::move(value)); }
  // Replaces every header of that name by one with this value.
  void set(std::string_view name, std::string value);
  std::optional<std::string_view> get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

// Who is making the request, filled in by the authentication middleware.
struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::string role;               // "admin" | "coordinator" | "officer" | "viewer"
  std::optional<std::int64_t> unit_id;  // officers: the unit they belong to
  std::string session_token_hash; // identifies the session (for logout)
  std::string csrf_token;         // to embed in forms
  std::int64_t unread_notifications = 0;  // unread in-app notifications (counted up to 100), for the staff header
};

struct Request {
  Method method = Method::get;
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path without query
  std::multimap<std::string, std::string> query;  // decoded query parameters
  Headers headers;
  std::string body;
  std::string remote_address;
  std::string request_id;
  std::map<std::string, std::string> path_parameters;  // from the route pattern, e.g. {code}
  std::optional<Principal> principal;                  // set when a valid session cookie came with the request
  std::string route_pattern;                           // the matched route, for logs and metrics
  // True while the server tries the route's InlineAttempt on the network thread (router.h): the pipeline then
  // runs the attempt instead of the handler and must not touch the store.
  bool inline_attempt = false;

  // First query parameter of that name, if any.
  std::optional<std::string> query_parameter(std::string_view name) const;
  std::string path_parameter(const std::string& name) const;
  // Value of one cookie from the Cookie header.
  std::optional<std::string> cookie(std::string_view name) const;
  // Decoded application/x-www-form-urlencoded body; empty when the Content-Type is another one.
  std::multimap<std::string, std::string> form() const;
  // First value of one form field (see form()), if any.
  std::optional<std::string> form_value(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response html(int status, std::string body);
  static Response json(int status, std::string body);
  // 303 See Other to `location` (after a successful form post).
  static Response redirect(std::string location);
};

// Percent-decoding for paths and form/query values ('+' as space only when `plus_as_space`).
std::string percent_decode(std::string_view text, bool plus_as_space);
std::string percent_encode(std::string_view text);
// Parses "a=1&b=2" into name/value pairs.
std::multimap<std::string, std::string> parse_url_encoded(std::string_view text);

}  // namespace dvchub::http
