// http/router.h — routes with typed path parameters, per-route limits and access rules.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"

namespace dvchub::http {

using Handler = std::function<Response(Request&)>;

// Delivers the answer to a request. Call it once, from any thread; the server writes the answer on the connection's
// own thread. A Responder dropped without being called answers 500.
using Responder = std::function<void(Response)>;

// A handler that answers later: it starts the work (for instance a write that waits for a group commit) and
// returns, and the work calls `respond` once it is done, so no thread waits meanwhile. `request` stays valid until
// `respond` is called, and not after: once the handler has handed `respond` over, it must not touch `request`.
// Runs on the worker pool (it may read the store).
using DeferredHandler = std::function<void(Request&, Responder respond)>;

// A first try at answering a request on the network thread, for a route whose answers are often ready (a
// remembered answer): it must not block (no store access, no long computation). It returns the answer, or nothing
// to have the route's Handler run on the worker pool as usual. Only public routes have one.
using InlineAttempt = std::function<std::optional<Response>(Request&)>;

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

// Options for a route: who may call it, the largest body it takes, and its one-line summary.
inline RouteOptions route_options(Access access, std::size_t body_limit, std::string summary = {}) {
  RouteOptions options;
  options.access = access;
  options.body_limit = body_limit;
  options.summary = std::move(summary);
  return options;
}

// A public API route that other sites may call (the embeddable widget, other systems): anyone, no session needed,
// and no CSRF check, since no session cookie gives it any power.
inline RouteOptions public_api_options(std::size_t body_limit, std::string summary) {
  RouteOptions options = route_options(Access::public_, body_limit, std::move(summary));
  options.csrf = false;
  return options;
}

struct Route {
  Method method;
  std::string pattern;  // "/api/v1/units/{code}", "/assets/{path*}" (rest of path), "{id:int}" (digits only)
  Handler handler;  // empty for a deferred route
  RouteOptions options;
  DeferredHandler deferred_handler;  // set instead of `handler` for a route added with add_deferred
  InlineAttempt inline_attempt;  // tried first on the network thread, for a route added with add_with_inline_attempt
};

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> path_parameters;
  bool method_not_allowed = false;  // the path exists for another method (405)
  std::vector<Method> allowed_methods;  // when method_not_allowed: the methods the path has (for the Allow header)
};

// Not thread-safe while adding; matching is read-only and safe from many threads once serving starts.
class Router {
 public:
  // Adds a route. Patterns are matched segment by segment; literal segments win over parameters, `{name:int}`
  // (one or more ASCII digits) over `{name}` (any non-empty segment), and both over a trailing `{name*}` (the
  // rest of the path, at least one character, slashes included). Throws std::invalid_argument for a malformed
  // pattern or one that duplicates an existing route of the same method (programmer errors, seen at startup).
  void add(Method method, std::string pattern, Handler handler, RouteOptions options = {});
  // Adds a route answered through a Responder (see DeferredHandler), with the same matching and checks as add().
  // Its execution is always Execution::blocking (the worker pool).
  void add_deferred(Method method, std::string pattern, DeferredHandler handler, RouteOptions options = {});
  // Adds a route whose `attempt` runs first on the network thread; when it gives no answer, `handler` runs on the
  // worker pool (Execution::blocking). The route must be public (Access::public_): the attempt runs before any
  // session is read. Throws std::invalid_argument otherwise, as add() does for a bad pattern.
  void add_with_inline_attempt(Method method, std::string pattern, InlineAttempt attempt, Handler handler,
                               RouteOptions options = {});
  // Finds the most specific route for a method and a decoded path. HEAD falls back to GET. When no route of
  // that method matches but one of another method does, `method_not_allowed` is set with `allowed_methods`.
  RouteMatch match(Method method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  enum class SegmentKind { literal, integer, parameter, rest };  // most specific first
  struct Segment {
    SegmentKind kind = SegmentKind::literal;
    std::string text;  // the literal, or the parameter's name
  };
  static std::vector<Segment> parse_pattern(const std::string& pattern);
  void add_route(Route route);  // checks the pattern and duplicates (see add)
  // Matches one route's segments against the path's; fills `parameters` on success.
  static bool match_segments(const std::vector<Segment>& segments, const std::vector<std::string_view>& path_segments,
                             std::string_view path, std::map<std::string, std::string>& parameters);
  std::optional<std::size_t> best_route(Method method, const std::vector<std::string_view>& path_segments,
                                        std::string_view path, std::map<std::string, std::string>& parameters) const;

  std::vector<Route> routes_;
  std::vector<std::vector<Segment>> segments_;  // parallel to routes_
};

}  // namespace dvchub::http
