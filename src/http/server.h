// http/server.h — the HTTP/1.1 server (Boost.Beast + Asio coroutines behind this header).
//
// What it guarantees, whatever the client does:
// - header block at most `header_limit` bytes (431 / 400 otherwise); body at most the route's body_limit (413);
// - a client that sends its header or body too slowly, or idles on keep-alive, is dropped after the timeout;
// - at most `max_connections` at once: beyond that new connections are answered 503 and closed;
// - malformed requests get 400 and the connection is closed, never a crash;
// - keep-alive and pipelining: requests on one connection are answered in order;
// - stop(): stop accepting, let in-flight requests finish (up to `drain_timeout`), then return from run().
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/error.h"
#include "http/message.h"
#include "http/router.h"

namespace dvchub::http {

class Metrics;  // http/metrics.h

// Threading: `network_threads` threads, each running its own io_context with its own acceptor bound to the same
// address and port with SO_REUSEPORT, so the kernel spreads new connections over the threads (and over other
// processes listening on that port as the same user). A connection stays on the thread that accepted it.
// Execution::inline_ routes run on that thread; Execution::blocking routes run on a pool of `worker_threads`
// and the connection resumes on its own thread afterwards. A deferred route (Router::add_deferred) starts on the
// pool and gives its worker back at once: the connection resumes when its Responder is called.
struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port (tests); read it back with Server::port()
  std::size_t network_threads = 0;  // 0: one per core
  std::size_t worker_threads = 8;   // for blocking handlers
  std::size_t header_limit = 16 * 1024;
  std::size_t max_connections = 10000;
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{30};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds drain_timeout{20};
  bool handle_signals = true;  // SIGTERM / SIGINT call stop()
  // Where the server counts requests (by route pattern, or "unmatched"), open connections and in-flight requests.
  // Not owned; must outlive the server. nullptr: nothing is recorded.
  Metrics* metrics = nullptr;
};

// Runs for every matched request, after the body is read within limits. The application's middleware chain
// (request id, authentication, CSRF, access rules, security headers, logging, metrics) lives behind it. It answers
// through `respond`, once: for a route with a Handler before it returns, for a deferred route whenever the route's
// DeferredHandler answers (from any thread; `request` stays valid until then). For a route with an InlineAttempt
// the server first calls it on the network thread with `request.inline_attempt` set: the pipeline then runs the
// attempt instead of the handler, without touching the store, and answers only if the attempt gave an answer;
// otherwise it returns without answering and the server calls it again on the worker pool, flag cleared.
using Pipeline = std::function<void(Request&, const Route&, Responder respond)>;

// Builds the answer for requests that never reach a route (404, 405, 400, 413, 431, 503): status and a short
// Vietnamese message; the application decides the format (HTML or JSON).
using ErrorResponder = std::function<Response(const Request&, int status, const std::string& message)>;

class Server {
 public:
  // The router, pipeline and error responder are used from several threads at once; the router must outlive
  // the server and not change once it is built. Nothing is bound before listen().
  Server(ServerOptions options, const Router& router, Pipeline pipeline, ErrorResponder error_responder);
  // Waits for blocking handlers still running and for deferred answers still owed, then releases every connection.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. ErrorCode::unavailable when the address is taken or invalid. Call once, before run().
  Result<void> listen();
  // The bound port (after listen()).
  unsigned short port() const;
  // Serves until stop() is called (from any thread or a signal). Blocks the calling thread, which becomes one of
  // the network threads. Requires a successful listen(); call once.
  void run();
  // Asks the server to stop gracefully: stop accepting, close idle connections, let requests already being
  // handled finish (answered with Connection: close), and after `drain_timeout` abandon the rest. Thread-safe,
  // idempotent, does not wait; run() returns when the drain is over. A blocking handler still running then is
  // waited for by the destructor.
  void stop();

 private:
  struct Implementation;
  std::unique_ptr<Implementation> implementation_;
};

}  // namespace dvchub::http
