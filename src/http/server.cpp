// The Beast + Asio adapter: the only file of dvchub that includes them.
//
// Design (see also server.h):
// - One io_context per network thread, each with its own acceptor on the same address and port (SO_REUSEPORT).
//   Everything about a connection (its coroutine, its entry in the thread's connection list, the thread's
//   `stopping` flag) is touched only from that thread, so none of it needs a lock. Only the connection count
//   (for max_connections) and the metrics are shared, as atomics.
// - A connection is one coroutine: wait for a request (idle_timeout between requests, header_timeout for the
//   whole header, counted from the first byte of the connection for its first request), route it, read the body
//   within the route's limit and body_timeout, run the pipeline (inline or on the worker pool), write the answer,
//   loop. Leftover bytes stay in the flat_buffer, so pipelined requests are answered in order.
// - Answers that end a connection early (400, 413, 431, 503) are followed by a lingering close: shut down our
//   sending side, then read and discard for a short, bounded while, so the client is not sent a reset before it
//   has read the answer.
#include "http/server.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <ctime>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "http/metrics.h"

namespace dvchub::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace wire = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// How long and how much a lingering close reads and discards before closing for good.
constexpr std::chrono::seconds linger_timeout{1};
constexpr std::size_t linger_byte_limit = 1024 * 1024;

const std::string unmatched_route = "unmatched";

Method method_from_verb(wire::verb verb) {
  switch (verb) {
    case wire::verb::get: return Method::get;
    case wire::verb::head: return Method::head;
    case wire::verb::post: return Method::post;
    case wire::verb::put: return Method::put;
    case wire::verb::patch: return Method::patch;
    case wire::verb::delete_: return Method::delete_;
    case wire::verb::options: return Method::options;
    default: return Method::other;
  }
}

// The current time as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), recomputed once a second per thread.
// Formatted by hand: strftime's %a and %b follow the process locale.
const std::string& http_date() {
  static constexpr std::array<const char*, 7> days = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[40];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[parts.tm_wday], parts.tm_mday,
                  months[parts.tm_mon], parts.tm_year + 1900, parts.tm_hour, parts.tm_min, parts.tm_sec);
    cached = text;
    cached_second = now;
  }
  return cached;
}

// An incoming X-Request-Id is kept when it is 1..128 characters of [A-Za-z0-9._:-], so it is safe in logs.
bool is_sane_request_id(std::string_view identifier) {
  if (identifier.empty() || identifier.size() > 128) return false;
  for (char character : identifier) {
    bool allowed = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
                   (character >= '0' && character <= '9') || character == '.' || character == '_' ||
                   character == ':' || character == '-';
    if (!allowed) return false;
  }
  return true;
}

// 128 random bits in hex.
std::string new_request_id() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::string identifier(32, '0');
  for (std::size_t half = 0; half < 2; ++half) {
    std::uint64_t bits = generator();
    for (std::size_t index = 0; index < 16; ++index, bits >>= 4) identifier[half * 16 + index] = digits[bits & 0xF];
  }
  return identifier;
}

// Errors in the request's syntax (answered 400), as opposed to the client going away or timing out.
bool is_syntax_error(const beast::error_code& error) {
  static const auto& http_category = wire::make_error_code(wire::error::bad_target).category();
  return error.category() == http_category && error != wire::error::end_of_stream &&
         error != wire::error::partial_message;
}

std::string remote_address_of(const tcp::socket& socket) {
  beast::error_code error;
  tcp::endpoint endpoint = socket.remote_endpoint(error);
  return error ? std::string() : endpoint.address().to_string();
}

// Increments on construction, decrements on destruction.
class GaugeScope {
 public:
  GaugeScope(Metrics* metrics, void (Metrics::*add)(std::int64_t)) : metrics_(metrics), add_(add) {
    if (metrics_) (metrics_->*add_)(1);
  }
  ~GaugeScope() {
    if (metrics_) (metrics_->*add_)(-1);
  }
  GaugeScope(const GaugeScope&) = delete;
  GaugeScope& operator=(const GaugeScope&) = delete;

 private:
  Metrics* metrics_;
  void (Metrics::*add_)(std::int64_t);
};

// Counts the answers deferred routes still owe; the server's destructor waits until none is owed.
class OwedAnswers {
 public:
  void add() {
    std::lock_guard lock(mutex_);
    ++count_;
  }
  void settle() {
    std::lock_guard lock(mutex_);  // notified under the lock: the waiter may destroy this once it sees zero
    --count_;
    settled_.notify_all();
  }
  void wait_until_none() {
    std::unique_lock lock(mutex_);
    settled_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable settled_;
  std::size_t count_ = 0;
};

// The one answer a deferred route owes its connection. The first deliver() wins, from whichever thread; the answer
// is handed to `completion` (the connection's suspended coroutine) on the connection's own thread. While owed, it
// keeps that thread's io_context running (a draining server waits for it). Destroyed unanswered (every Responder
// dropped), it answers with `fallback`.
template <typename Completion>
class DeferredAnswer {
 public:
  DeferredAnswer(Completion completion, std::function<Response()> fallback, OwedAnswers& owed)
      : completion_(std::move(completion)),
        work_(asio::make_work_guard(asio::get_associated_executor(completion_))),
        fallback_(std::move(fallback)),
        owed_(owed) {
    owed_.add();
  }
  ~DeferredAnswer() { deliver(fallback_); }
  DeferredAnswer(const DeferredAnswer&) = delete;
  DeferredAnswer& operator=(const DeferredAnswer&) = delete;

  // Sends the answer `make` builds, unless one was sent already (then `make` is not called).
  template <typename Make>
  void deliver(Make&& make) {
    if (delivered_.exchange(true)) return;
    asio::post(work_.get_executor(), [completion = std::move(completion_), response = make()]() mutable {
      std::move(completion)(std::move(response));
    });
    work_.reset();
    owed_.settle();
  }

 private:
  Completion completion_;
  asio::executor_work_guard<asio::associated_executor_t<Completion>> work_;
  std::function<Response()> fallback_;
  OwedAnswers& owed_;
  std::atomic<bool> delivered_{false};
};

// One open connection as its network thread sees it.
struct Connection {
  beast::tcp_stream* stream = nullptr;
  bool waiting = true;  // no request in progress (idle, or its header not complete): stop() closes it at once
};

struct NetworkThread {
  // Declared before the io_context: coroutine frames destroyed with the context still unregister from it.
  std::list<Connection*> connections;
  bool stopping = false;  // set on this thread by stop()
  asio::io_context context{1};
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> drain_timer;
  std::optional<asio::signal_set> signals;  // the first thread only
};

}  // namespace

struct Server::Implementation {
  Implementation(ServerOptions server_options, const Router& server_router, Pipeline server_pipeline,
                 ErrorResponder server_error_responder)
      : options(std::move(server_options)),
        router(server_router),
        pipeline(std::move(server_pipeline)),
        error_responder(std::move(server_error_responder)),
        workers(std::max<std::size_t>(options.worker_threads, 1)) {
    if (options.metrics) {
      for (const Route& route : router.routes()) route_metrics.push_back(&options.metrics->route(route.pattern));
      unmatched_metrics = &options.metrics->route(unmatched_route);
    }
    std::size_t thread_count = options.network_threads;
    if (thread_count == 0) thread_count = std::max(1u, std::thread::hardware_concurrency());
    for (std::size_t index = 0; index < thread_count; ++index) {
      network_threads.push_back(std::make_unique<NetworkThread>());
    }
  }

  // Answer for a request that reaches no handler, from the application's ErrorResponder (plain text if it throws).
  Response error_response(const Request& request, int status, const std::string& message) const;
  // Runs the pipeline inline, on the worker pool, or (deferred routes) on the pool until the route answers;
  // exceptions become a logged 500.
  asio::awaitable<Response> run_pipeline(Request& request, const Route& route);
  // Runs the pipeline with the route's InlineAttempt on the calling thread: its answer, or nothing.
  std::optional<Response> attempt_inline(Request& request, const Route& route);
  // Runs the pipeline for a route with a Handler on the calling thread and returns its answer.
  Response answer_now(Request& request, const Route& route);
  // Starts the pipeline for a deferred route on the worker pool; completes when its Responder is called.
  asio::awaitable<Response> answer_later(Request& request, const Route& route);
  // Logs why a request failed and returns the 500 that answers it.
  Response failure_response(const Request& request, const Route& route, const std::string& failure) const;
  // Writes `response` (Date, Server, Content-Length, Connection; no body for HEAD), after replacing it by a 500 if
  // its status is not in 100..599; the body is moved out. False when the write failed.
  asio::awaitable<bool> write_response(beast::tcp_stream& stream, const Request& request, Response& response,
                                       unsigned version, bool keep_alive);
  // Shuts down the sending side, reads and discards for a bounded while, then closes.
  asio::awaitable<void> close_gracefully(beast::tcp_stream& stream);
  // Answers an early error with Connection: close; the caller then closes gracefully.
  asio::awaitable<void> refuse(beast::tcp_stream& stream, const Request& request, int status,
                               const std::string& message, unsigned version);

  asio::awaitable<void> accept_loop(NetworkThread& thread);
  asio::awaitable<void> serve_connection(NetworkThread& thread, tcp::socket socket);
  asio::awaitable<void> refuse_connection(tcp::socket socket);
  // Handles one request whose header is in `parser`. Returns whether the connection may carry another.
  asio::awaitable<bool> handle_request(NetworkThread& thread, beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                       wire::request_parser<wire::string_body>& parser,
                                       const std::string& remote_address);
  // On the thread itself: stop accepting, close waiting connections, start the drain deadline.
  void begin_drain(NetworkThread& thread);
  void record(RouteMetrics* series, Method method, int status, Clock::time_point started) const;

  ServerOptions options;
  const Router& router;
  Pipeline pipeline;
  ErrorResponder error_responder;
  std::vector<RouteMetrics*> route_metrics;  // parallel to router.routes(); empty without metrics
  RouteMetrics* unmatched_metrics = nullptr;
  std::atomic<std::size_t> open_connections{0};
  std::atomic<bool> stopping{false};
  unsigned short bound_port = 0;
  asio::thread_pool workers;
  OwedAnswers owed_answers;
  // Last: destroyed first, while everything their coroutine frames touch is still alive.
  std::vector<std::unique_ptr<NetworkThread>> network_threads;
};

namespace {

// Registers a connection in its thread's list and the shared count for the connection's lifetime.
class ConnectionRegistration {
 public:
  ConnectionRegistration(std::atomic<std::size_t>& open_connections, Metrics* metrics, NetworkThread& thread,
                         Connection& connection)
      : open_connections_(open_connections),
        gauge_(metrics, &Metrics::add_open_connections),
        thread_(thread),
        position_(thread.connections.insert(thread.connections.end(), &connection)) {}
  ~ConnectionRegistration() {
    thread_.connections.erase(position_);
    open_connections_.fetch_sub(1, std::memory_order_relaxed);
    if (thread_.stopping && thread_.connections.empty() && thread_.drain_timer) thread_.drain_timer->cancel();
  }
  ConnectionRegistration(const ConnectionRegistration&) = delete;
  ConnectionRegistration& operator=(const ConnectionRegistration&) = delete;

 private:
  std::atomic<std::size_t>& open_connections_;
  GaugeScope gauge_;
  NetworkThread& thread_;
  std::list<Connection*>::iterator position_;
};

// Completion of detached coroutines: they catch what they expect, so anything arriving here is a bug.
void log_escaped_exception(std::exception_ptr exception) {
  if (!exception) return;
  try {
    std::rethrow_exception(exception);
  } catch (const std::exception& error) {
    spdlog::error("http: connection coroutine ended by an exception: {}", error.what());
  } catch (...) {
    spdlog::error("http: connection coroutine ended by an unknown exception");
  }
}

}  // namespace

Response Server::Implementation::error_response(const Request& request, int status,
                                                const std::string& message) const {
  try {
    return error_responder(request, status, message);
  } catch (const std::exception& error) {
    spdlog::error("http: error responder threw for status {} (request {}): {}", status, request.request_id,
                  error.what());
  } catch (...) {
    spdlog::error("http: error responder threw for status {} (request {})", status, request.request_id);
  }
  return Response::text(status, message);
}

void Server::Implementation::record(RouteMetrics* series, Method method, int status,
                                    Clock::time_point started) const {
  if (series) series->record(method, status, Clock::now() - started);
}

asio::awaitable<Response> Server::Implementation::run_pipeline(Request& request, const Route& route) {
  std::string failure;
  try {
    if (route.deferred_handler) co_return co_await answer_later(request, route);
    if (route.options.execution == Execution::inline_) co_return answer_now(request, route);
    if (route.inline_attempt) {
      if (std::optional<Response> answer = attempt_inline(request, route)) co_return std::move(*answer);
    }
    // The handler runs on a worker; co_await resumes this coroutine on its own network thread afterwards.
    co_return co_await asio::co_spawn(
        workers, [&]() -> asio::awaitable<Response> { co_return answer_now(request, route); }, asio::use_awaitable);
  } catch (const std::exception& error) {
    failure = error.what();
  } catch (...) {
    failure = "unknown exception";
  }
  co_return failure_response(request, route, failure);
}

std::optional<Response> Server::Implementation::attempt_inline(Request& request, const Route& route) {
  std::optional<Response> answer;
  request.inline_attempt = true;
  try {
    pipeline(request, route, [&answer](Response response) { answer = std::move(response); });
  } catch (...) {
    request.inline_attempt = false;
    throw;
  }
  request.inline_attempt = false;
  return answer;
}

Response Server::Implementation::answer_now(Request& request, const Route& route) {
  std::optional<Response> answer;
  pipeline(request, route, [&answer](Response response) { answer = std::move(response); });
  if (!answer) throw std::logic_error("the pipeline returned without answering");
  return std::move(*answer);
}

asio::awaitable<Response> Server::Implementation::answer_later(Request& request, const Route& route) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
      [this, &request, &route](auto completion) {
        // Runs while the coroutine is suspended, so `request` lives until the answer is delivered.
        auto fallback = [this, &request, &route] {
          return failure_response(request, route, "the deferred handler dropped its responder without answering");
        };
        auto answer = std::make_shared<DeferredAnswer<decltype(completion)>>(std::move(completion), fallback,
                                                                             owed_answers);
        asio::post(workers, [this, &request, &route, answer] {
          std::string failure;
          try {
            pipeline(request, route, [answer](Response response) {
              answer->deliver([&response] { return std::move(response); });
            });
            return;
          } catch (const std::exception& error) {
            failure = error.what();
          } catch (...) {
            failure = "unknown exception";
          }
          answer->deliver([&] { return failure_response(request, route, failure); });
        });
      },
      asio::use_awaitable);
}

Response Server::Implementation::failure_response(const Request& request, const Route& route,
                                                  const std::string& failure) const {
  spdlog::error("http: {} {} (route {}, request {}) failed: {}", method_name(request.method), request.target,
                route.pattern, request.request_id, failure);
  return error_response(request, 500, "Đã có lỗi trong máy chủ, vui lòng thử lại sau");
}

asio::awaitable<bool> Server::Implementation::write_response(beast::tcp_stream& stream, const Request& request,
                                                             Response& response, unsigned version, bool keep_alive) {
  if (response.status < 100 || response.status > 599) {
    spdlog::error("http: {} {} (request {}) answered with invalid status {}; sending 500", method_name(request.method),
                  request.target, request.request_id, response.status);
    response = Response::text(500, "Đã có lỗi trong máy chủ, vui lòng thử lại sau");
  }
  wire::response<wire::string_body> message;
  message.version(version);
  message.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers.entries()) message.insert(name, value);
  // Framing and connection headers are the server's.
  message.erase(wire::field::content_length);
  message.erase(wire::field::transfer_encoding);
  message.set(wire::field::server, "dvchub");
  message.set(wire::field::date, http_date());
  if (!response.headers.get("X-Request-Id") && !request.request_id.empty()) {
    message.set("X-Request-Id", request.request_id);
  }
  const bool status_without_body = response.status < 200 || response.status == 204 || response.status == 304;
  if (!status_without_body) {
    message.set(wire::field::content_length, std::to_string(response.body.size()));
    if (request.method != Method::head) message.body() = std::move(response.body);
  }
  message.keep_alive(keep_alive);
  stream.expires_after(options.body_timeout);
  auto [error, written] = co_await wire::async_write(stream, message, tuple_awaitable);
  co_return !error;
}

asio::awaitable<void> Server::Implementation::close_gracefully(beast::tcp_stream& stream) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(linger_timeout);
  std::array<char, 16 * 1024> scratch;
  std::size_t discarded = 0;
  while (discarded < linger_byte_limit) {
    auto [error, read] = co_await stream.async_read_some(asio::buffer(scratch), tuple_awaitable);
    if (error) break;
    discarded += read;
  }
  stream.close();
}

asio::awaitable<void> Server::Implementation::refuse(beast::tcp_stream& stream, const Request& request, int status,
                                                     const std::string& message, unsigned version) {
  Response response = error_response(request, status, message);
  co_await write_response(stream, request, response, version, false);
}

asio::awaitable<void> Server::Implementation::accept_loop(NetworkThread& thread) {
  while (true) {
    auto [error, socket] = co_await thread.acceptor->async_accept(tuple_awaitable);
    if (thread.stopping || !thread.acceptor->is_open()) co_return;
    if (error) {
      // Out of file descriptors and the like: wait a little rather than spin.
      spdlog::warn("http: accept failed: {}", error.message());
      asio::steady_timer pause(thread.context, std::chrono::milliseconds(50));
      co_await pause.async_wait(tuple_awaitable);
      continue;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (open_connections.fetch_add(1, std::memory_order_relaxed) >= options.max_connections) {
      open_connections.fetch_sub(1, std::memory_order_relaxed);
      asio::co_spawn(thread.context, refuse_connection(std::move(socket)), log_escaped_exception);
      continue;
    }
    asio::co_spawn(thread.context, serve_connection(thread, std::move(socket)), log_escaped_exception);
  }
}

asio::awaitable<void> Server::Implementation::refuse_connection(tcp::socket socket) {
  const Clock::time_point started = Clock::now();
  beast::tcp_stream stream(std::move(socket));
  Request request;
  request.remote_address = remote_address_of(stream.socket());
  request.request_id = new_request_id();
  co_await refuse(stream, request, 503, "Máy chủ đang quá tải, vui lòng thử lại sau", 11);
  co_await close_gracefully(stream);
  record(unmatched_metrics, Method::other, 503, started);
}

asio::awaitable<void> Server::Implementation::serve_connection(NetworkThread& thread, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  Connection connection{&stream};
  ConnectionRegistration registration(open_connections, options.metrics, thread, connection);
  const std::string remote_address = remote_address_of(stream.socket());
  beast::flat_buffer buffer;
  bool first_request = true;
  while (true) {
    // Stopping between requests: nothing is in flight and nothing is owed, so close at once.
    if (thread.stopping) co_return;
    connection.waiting = true;
    if (!first_request && buffer.size() == 0) {
      // Keep-alive: wait for the next request's first bytes, then give its header header_timeout.
      stream.expires_after(options.idle_timeout);
      auto [error, read] = co_await stream.async_read_some(buffer.prepare(4096), tuple_awaitable);
      if (error) co_return;
      buffer.commit(read);
    }
    first_request = false;
    const Clock::time_point started = Clock::now();
    wire::request_parser<wire::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser.body_limit(boost::none);  // the route's limit is set once the route is known
    stream.expires_after(options.header_timeout);
    auto [error, read] = co_await wire::async_read_header(stream, buffer, parser, tuple_awaitable);
    if (error) {
      if (error != wire::error::header_limit && !is_syntax_error(error)) co_return;  // gone, timed out, or stopped
      connection.waiting = false;
      Request request;
      request.method = method_from_verb(parser.get().method());
      request.remote_address = remote_address;
      request.request_id = new_request_id();
      const bool too_large = error == wire::error::header_limit;
      const int status = too_large ? 431 : 400;
      co_await refuse(stream, request, status,
                      too_large ? "Phần đầu của yêu cầu quá lớn" : "Yêu cầu không đúng định dạng HTTP", 11);
      record(unmatched_metrics, request.method, status, started);
      break;
    }
    connection.waiting = false;
    if (!co_await handle_request(thread, stream, buffer, parser, remote_address)) break;
  }
  co_await close_gracefully(stream);
}

asio::awaitable<bool> Server::Implementation::handle_request(NetworkThread& thread, beast::tcp_stream& stream,
                                                             beast::flat_buffer& buffer,
                                                             wire::request_parser<wire::string_body>& parser,
                                                             const std::string& remote_address) {
  const Clock::time_point started = Clock::now();
  GaugeScope in_flight(options.metrics, &Metrics::add_in_flight_requests);
  auto& header = parser.get();
  const unsigned version = header.version();

  Request request;
  request.method = method_from_verb(header.method());
  request.target = std::string(header.target());
  request.remote_address = remote_address;
  for (const auto& field : header) request.headers.add(std::string(field.name_string()), std::string(field.value()));
  std::optional<std::string_view> incoming_id = request.headers.get("X-Request-Id");
  request.request_id = incoming_id && is_sane_request_id(*incoming_id) ? std::string(*incoming_id) : new_request_id();

  // A Transfer-Encoding whose last coding is not chunked leaves the body's end unknown (RFC 9112 6.3): refuse it
  // rather than read the body as the next request.
  const bool unframed_body = header.find(wire::field::transfer_encoding) != header.end() && !parser.chunked();
  if (request.target.empty() || request.target.front() != '/' || unframed_body) {
    co_await refuse(stream, request, 400, "Yêu cầu không hợp lệ", version);
    record(unmatched_metrics, request.method, 400, started);
    co_return false;
  }
  const std::size_t question = request.target.find('?');
  request.path = percent_decode(std::string_view(request.target).substr(0, question), false);
  if (question != std::string::npos) request.query = parse_url_encoded(std::string_view(request.target).substr(question + 1));

  const bool body_pending = !parser.is_done();
  RouteMatch match = router.match(request.method, request.path);
  if (!match.route) {
    const int status = match.method_not_allowed ? 405 : 404;
    Response response = error_response(
        request, status,
        match.method_not_allowed ? "Địa chỉ này không nhận phương thức " + std::string(method_name(request.method))
                                 : "Không tìm thấy trang hoặc tài nguyên yêu cầu");
    if (match.method_not_allowed) {
      std::string allowed;
      for (Method method : match.allowed_methods) allowed += (allowed.empty() ? "" : ", ") + std::string(method_name(method));
      response.headers.set("Allow", allowed);
    }
    // A body we will not read would be taken for the next request: close instead.
    const bool keep_alive = header.keep_alive() && !body_pending && !thread.stopping;
    const bool written = co_await write_response(stream, request, response, version, keep_alive);
    record(unmatched_metrics, request.method, status, started);
    co_return written && keep_alive;
  }

  const Route& route = *match.route;
  RouteMetrics* series =
      route_metrics.empty() ? nullptr : route_metrics[static_cast<std::size_t>(&route - router.routes().data())];
  request.route_pattern = route.pattern;
  request.path_parameters = std::move(match.path_parameters);
  if (body_pending) {
    const boost::optional<std::uint64_t> announced = parser.content_length();
    if (announced && *announced > route.options.body_limit) {
      co_await refuse(stream, request, 413, "Dữ liệu gửi lên quá lớn", version);
      record(series, request.method, 413, started);
      co_return false;
    }
    parser.body_limit(route.options.body_limit);  // chunked bodies: enforced as they grow
    auto expect = header.find(wire::field::expect);
    if (expect != header.end() && beast::iequals(expect->value(), "100-continue") && version >= 11) {
      static constexpr std::string_view proceed = "HTTP/1.1 100 Continue\r\n\r\n";
      stream.expires_after(options.body_timeout);
      auto [error, written] = co_await asio::async_write(stream, asio::buffer(proceed), tuple_awaitable);
      if (error) co_return false;
    }
    stream.expires_after(options.body_timeout);
    auto [error, read] = co_await wire::async_read(stream, buffer, parser, tuple_awaitable);
    if (error == wire::error::body_limit) {
      co_await refuse(stream, request, 413, "Dữ liệu gửi lên quá lớn", version);
      record(series, request.method, 413, started);
      co_return false;
    }
    if (error) {
      if (is_syntax_error(error)) {
        co_await refuse(stream, request, 400, "Phần thân yêu cầu không đúng định dạng", version);
        record(series, request.method, 400, started);
      }
      co_return false;
    }
  }
  request.body = std::move(parser.get().body());

  Response response = co_await run_pipeline(request, route);
  const std::optional<std::string_view> connection_header = response.headers.get("Connection");
  const bool keep_alive = header.keep_alive() && !thread.stopping &&
                          !(connection_header && beast::iequals(*connection_header, "close"));
  const bool written = co_await write_response(stream, request, response, version, keep_alive);
  record(series, request.method, response.status, started);  // the status sent (write_response may replace it)
  co_return written && keep_alive;
}

void Server::Implementation::begin_drain(NetworkThread& thread) {
  thread.stopping = true;
  beast::error_code ignored;
  if (thread.signals) thread.signals->cancel(ignored);
  if (thread.acceptor) thread.acceptor->close(ignored);
  // Closing completes the pending reads later, on this thread: the list is not changed while we walk it.
  for (Connection* connection : thread.connections) {
    if (connection->waiting) connection->stream->close();
  }
  if (thread.connections.empty()) return;
  thread.drain_timer.emplace(thread.context, options.drain_timeout);
  thread.drain_timer->async_wait([&thread](const beast::error_code& error) {
    if (error) return;  // cancelled: the last connection ended in time
    spdlog::warn("http: drain timeout reached with {} connection(s) still open; abandoning them",
                 thread.connections.size());
    thread.context.stop();
  });
}

Server::Server(ServerOptions options, const Router& router, Pipeline pipeline, ErrorResponder error_responder)
    : implementation_(std::make_unique<Implementation>(std::move(options), router, std::move(pipeline),
                                                       std::move(error_responder))) {}

Server::~Server() {
  Implementation& server = *implementation_;
  server.workers.join();  // blocking handlers still running after a drain timeout
  server.owed_answers.wait_until_none();  // deferred answers: delivered (to a stopped context, if need be)
  for (auto& thread : server.network_threads) {
    thread->drain_timer.reset();
    thread->signals.reset();
    thread->acceptor.reset();
  }
}

Result<void> Server::listen() {
  Implementation& server = *implementation_;
  beast::error_code error;
  const asio::ip::address address = asio::ip::make_address(server.options.address, error);
  if (error) {
    return fail(ErrorCode::unavailable, "Địa chỉ lắng nghe không hợp lệ: " + server.options.address,
                error.message());
  }
  tcp::endpoint endpoint(address, server.options.port);
  for (auto& thread : server.network_threads) {
    tcp::acceptor acceptor(thread->context);
    acceptor.open(endpoint.protocol(), error);
    if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
    if (!error) acceptor.set_option(reuse_port(true), error);
    if (!error) acceptor.bind(endpoint, error);
    if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      for (auto& opened : server.network_threads) opened->acceptor.reset();
      return fail(ErrorCode::unavailable,
                  "Không mở được cổng " + std::to_string(server.options.port) + " trên địa chỉ " +
                      server.options.address + ": cổng đang được dùng hoặc không được phép",
                  error.message());
    }
    if (endpoint.port() == 0) endpoint.port(acceptor.local_endpoint().port());  // the others share this port
    thread->acceptor.emplace(std::move(acceptor));
  }
  server.bound_port = endpoint.port();
  return {};
}

unsigned short Server::port() const { return implementation_->bound_port; }

void Server::run() {
  Implementation& server = *implementation_;
  for (auto& thread : server.network_threads) {
    if (!thread->acceptor) {
      spdlog::error("http: run() called without a successful listen()");
      return;
    }
  }
  for (auto& thread : server.network_threads) {
    asio::co_spawn(thread->context, server.accept_loop(*thread), log_escaped_exception);
  }
  NetworkThread& first = *server.network_threads.front();
  if (server.options.handle_signals) {
    first.signals.emplace(first.context, SIGINT, SIGTERM);
    first.signals->async_wait([this](const beast::error_code& error, int signal_number) {
      if (error) return;
      spdlog::info("http: signal {} received, stopping", signal_number);
      stop();
    });
  }
  auto run_context = [](NetworkThread& thread) {
    while (true) {
      try {
        thread.context.run();
        return;
      } catch (const std::exception& error) {
        spdlog::error("http: network thread caught an exception: {}", error.what());
      }
    }
  };
  std::vector<std::thread> others;
  for (std::size_t index = 1; index < server.network_threads.size(); ++index) {
    others.emplace_back(run_context, std::ref(*server.network_threads[index]));
  }
  run_context(first);
  for (std::thread& other : others) other.join();
}

void Server::stop() {
  Implementation& server = *implementation_;
  if (server.stopping.exchange(true)) return;
  for (auto& thread : server.network_threads) {
    asio::post(thread->context, [&server, &thread = *thread] { server.begin_drain(thread); });
  }
}

}  // namespace dvchub::http
