// http/router.h — routes with typed path parameters, per-route limits and access rules.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"

namespace dvchub::http {

using Handler = std::function<Response(Request&)>;

// Who may call a route. Checked by the router before the handler runs.
enum class Access {
  public_,      // anyone
  staff,        // any signed-in account (viewer and up)
  officer,      // officer, coordinator, admin
  coordinator,  // coordinator, admin
  admin,        // admin only
};

// Where the handler runs. `inline_` handlers run on the network thread and must not block (no store access):
// health checks, static assets, cached pages. `blocking` handlers (the default) run on the worker pool, so a slow
// query never stalls other connections.
enum class Execution { inline_, blocking };

struct RouteOptions {
  Access access = Access::public_;
  Execution execution = Execution::blocking;
  std::size_t body_limit = 1024 * 1024;  // bytes; larger bodies get 413 before the handler runs
  bool csrf = true;  // state-changing requests with a session cookie must carry the session's CSRF token
  std::string summary;  // one line for the OpenAPI document and logs
};

struct Route {
  Method method;
  std::string pattern;  // "/api/v1/units/{code}", "/assets/{path*}" (rest of path), "{id:int}" (digits only)
  Handler handler;
  RouteOptions options;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> path_parameters;
  bool method_not_allowed = false;  // the path exists for another method (405)
};

// Not thread-safe while adding; matching is read-only and safe from many threads once serving starts.
class Router {
 public:
  // Adds a route. Patterns are matched segment by segment; literal segments win over parameters.
  void add(Method method, std::string pattern, Handler handler, RouteOptions options = {});
  // Finds the route for a method and a decoded path. HEAD falls back to GET.
  RouteMatch match(Method method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace dvchub::http
