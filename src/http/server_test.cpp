// Integration tests: the real server on an ephemeral port, spoken to over real sockets by a small blocking client.
#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "http/metrics.h"
#include "support/http_client.h"

namespace dvchub::http {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

std::chrono::milliseconds elapsed_since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
}

using Client = dvchub::testing::HttpClient;
using dvchub::testing::WireResponse;

std::string get(std::string_view target, std::string_view extra_headers = "") {
  return dvchub::testing::get_request(target, extra_headers);
}

ServerOptions test_options() {
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.network_threads = 2;
  options.worker_threads = 4;
  options.header_timeout = 2s;
  options.body_timeout = 5s;
  options.idle_timeout = 5s;
  options.drain_timeout = 5s;
  options.handle_signals = false;
  return options;
}

// The pipeline without middleware: the route's handler answers (or its inline attempt, when the server tries it).
void direct_pipeline(Request& request, const Route& route, Responder respond) {
  if (request.inline_attempt) {
    if (std::optional<Response> early = route.inline_attempt(request)) respond(std::move(*early));
    return;
  }
  if (route.deferred_handler) return route.deferred_handler(request, std::move(respond));
  respond(route.handler(request));
}

// The server running on its own thread; stopped and joined on destruction.
class RunningServer {
 public:
  RunningServer(ServerOptions options, const Router& router)
      : server_(
            std::move(options), router, direct_pipeline,
            [](const Request&, int status, const std::string& message) {
              return Response::text(status, "error " + std::to_string(status) + ": " + message);
            }) {
    auto listened = server_.listen();
    EXPECT_TRUE(listened) << (listened ? "" : listened.error().message);
    runner_ = std::async(std::launch::async, [this] { server_.run(); });
  }
  ~RunningServer() {
    server_.stop();
    runner_.wait();
  }

  unsigned short port() const { return server_.port(); }
  Server& server() { return server_; }
  // Waits up to `timeout` for run() to return.
  bool finished_within(std::chrono::milliseconds timeout) {
    return runner_.wait_for(timeout) == std::future_status::ready;
  }

 private:
  Server server_;
  std::future<void> runner_;
};

Handler text(std::string body) {
  return [body](Request&) { return Response::text(200, body); };
}

RouteOptions inline_route() {
  RouteOptions options;
  options.execution = Execution::inline_;
  return options;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(Method::get, "/hello", text("hello"), inline_route());
    router.add(Method::get, "/units/{code}", [](Request& request) {
      return Response::text(200, request.path_parameter("code") + "|" + request.query_parameter("q").value_or("-") +
                                     "|" + request.path);
    });
    router.add(Method::post, "/echo", [](Request& request) { return Response::text(200, request.body); });
    RouteOptions small;
    small.body_limit = 1024;
    router.add(Method::post, "/small", [this](Request& request) {
      ++small_calls;
      return Response::text(200, std::to_string(request.body.size()));
    }, small);
    router.add(Method::get, "/fails", [](Request&) -> Response { throw std::runtime_error("boom"); });
    router.add(Method::get, "/bad-status", [](Request&) { return Response::text(42, "odd"); });
    router.add(Method::get, "/request-id", [](Request& request) { return Response::text(200, request.request_id); });
    router.add(Method::get, "/sleep/{milliseconds:int}", [this](Request& request) {
      handler_thread = std::this_thread::get_id();
      entered_slow_handler = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(request.path_parameter("milliseconds"))));
      return Response::text(200, "slept " + request.path_parameter("milliseconds"));
    });
    router.add(Method::get, "/thread", [this](Request&) {
      inline_thread = std::this_thread::get_id();
      return Response::text(200, "fast");
    }, inline_route());
  }

  // A route whose answers are remembered: the attempt answers a key seen before on the network thread; the handler
  // (worker pool) computes a new one and remembers it.
  void add_remembering_route() {
    router.add_with_inline_attempt(
        Method::get, "/remembered/{key}",
        [this](Request& request) -> std::optional<Response> {
          std::lock_guard lock(remembered_mutex);
          if (!remembered.contains(request.path_parameter("key"))) return std::nullopt;
          attempt_thread = std::this_thread::get_id();
          return Response::text(200, "remembered " + request.path_parameter("key"));
        },
        [this](Request& request) {
          std::lock_guard lock(remembered_mutex);
          handler_thread = std::this_thread::get_id();
          ++remembering_handler_calls;
          remembered.insert(request.path_parameter("key"));
          return Response::text(200, "computed " + request.path_parameter("key"));
        });
  }

  // Deferred: the handler keeps the responder; the test answers later from its own thread (answer_held()).
  void add_deferred_routes() {
    router.add_deferred(Method::get, "/later/{label}", [this](Request& request, Responder respond) {
      std::lock_guard lock(held_mutex);
      held.emplace_back(request.path_parameter("label"), std::move(respond));
    });
    router.add_deferred(Method::get, "/dropped", [](Request&, Responder) {});
  }
  std::size_t held_count() {
    std::lock_guard lock(held_mutex);
    return held.size();
  }
  bool wait_for_held(std::size_t count) {
    for (int attempt = 0; attempt < 2500 && held_count() < count; ++attempt) std::this_thread::sleep_for(2ms);
    return held_count() >= count;
  }
  // Answers every held request with its label, from this thread.
  void answer_held() {
    std::lock_guard lock(held_mutex);
    for (auto& [label, respond] : held) respond(Response::text(200, "later " + label));
    held.clear();
  }

  // Declared after the RunningServer: answers what is still held (a failed assertion) before the server's
  // destructor waits for it.
  struct AnswerHeldOnExit {
    ServerTest& test;
    ~AnswerHeldOnExit() { test.answer_held(); }
  };

  bool wait_for_slow_handler() {
    for (int attempt = 0; attempt < 500 && !entered_slow_handler; ++attempt) std::this_thread::sleep_for(2ms);
    return entered_slow_handler;
  }

  Router router;
  std::mutex held_mutex;
  std::vector<std::pair<std::string, Responder>> held;
  std::atomic<int> small_calls{0};
  std::atomic<bool> entered_slow_handler{false};
  std::thread::id handler_thread;
  std::thread::id inline_thread;
  std::mutex remembered_mutex;
  std::set<std::string> remembered;
  std::thread::id attempt_thread;
  int remembering_handler_calls = 0;
};

TEST_F(ServerTest, GetReturnsTheBodyWithFramingHeaders) {
  RunningServer running(test_options(), router);
  ASSERT_NE(running.port(), 0);
  Client client(running.port());
  ASSERT_TRUE(client.connected());
  auto response = client.request(get("/hello"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(response->header("content-length"), "5");
  EXPECT_EQ(response->header("server"), "dvchub");
  EXPECT_EQ(response->header("date").size(), 29u);  // "Sun, 06 Nov 1994 08:49:37 GMT"
  EXPECT_EQ(response->header("x-request-id").size(), 32u);
}

TEST_F(ServerTest, PathIsDecodedQueryParsedAndParametersBound) {
  RunningServer running(test_options(), router);
  Client client(running.port());
  auto response = client.request(get("/units/H%C3%A0%20N%E1%BB%99i?q=a+b&q=second"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "Hà Nội|a b|/units/Hà Nội");
}

TEST_F(ServerTest, HeadAnswersWithoutBodyAndTheConnectionStaysInStep) {
  RunningServer running(test_options(), router);
  Client client(running.port());
  auto head = client.request("HEAD /hello HTTP/1.1\r\nHost: test\r\n\r\n", true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-length"), "5");
  auto next = client.request(get("/units/X"));  // a stray body would be read as this response's start
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "X|-|/units/X");
}

TEST_F(ServerTest, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  RunningServer running(test_options(), router);
  Client client(running.port());
  auto missing = client.request(get("/nowhere"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body.rfind("error 404: ", 0), 0u);
  auto wrong = client.request("DELETE /hello HTTP/1.1\r\nHost: test\r\n\r\n");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->header("allow"), "GET, HEAD");
  auto still = client.request(get("/hello"));  // no body announced: the connection is kept
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningServer running(test_options(), router);
  Client client(running.port());
  for (int round = 0; round < 3; ++round) {
    auto response = client.request(get("/hello"));
    ASSERT_TRUE(response) << round;
    EXPECT_EQ(response->status, 200);
    EXPECT_NE(response->header("connection"), "close");
  }
  auto last = client.request(get("/hello", "Connection: close\r\n"));
  ASSERT_TRUE(last);
  EXPECT_EQ(last->header("connection"), "close");
  EXPECT_TRUE(client.closed_by_server(2000ms));
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer running(test_options(), router);
  Client client(running.port());
  // The first is slow (worker pool), the second inline and fast: answers must still come in request order.
  ASSERT_TRUE(client.send(get("/sleep/100") + get("/hello") + get("/units/third")));
  auto first = client.read_response();
  auto second = client.read_response();
  auto third = client.read_response();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->body, "slept 100");
  EXPECT_EQ(second->body, "hello");
  EXPECT_EQ(third->body, "third|-|/units/third");
}

TEST_F(ServerTest, PostBodyReachesTheHandlerIncludingChunkedAndExpectContinue) {
  RunningServer running(test_options(), router);
  Client client(running.port());
  auto plain = client.request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->body, "hello world");
  auto chunked = client.request(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->body, "hello world");
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  auto proceed = client.read_response();
  ASSERT_TRUE(proceed);
  EXPECT_EQ(proceed->status, 100);
  auto answer = client.request("abc");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "abc");
}

TEST_F(ServerTest, MalformedRequestLineGets400AndTheServerServesOthers) {
  RunningServer running(test_options(), router);
  Client bad(running.port());
  auto response = bad.request("GARBAGE\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(bad.closed_by_server(2000ms));

  Client absolute_form(running.port());
  auto absolute = absolute_form.request("GET http://example.com/hello HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(absolute);
  EXPECT_EQ(absolute->status, 400);

  Client unframed(running.port());
  auto gzip_only = unframed.request(
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(gzip_only);
  EXPECT_EQ(gzip_only->status, 400);

  Client conflicting(running.port());
  auto both = conflicting.request(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->status, 400);

  Client good(running.port());
  auto fine = good.request(get("/hello"));
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
}

TEST_F(ServerTest, HeaderOver16KibIsRefusedWith431) {
  RunningServer running(test_options(), router);
  Client client(running.port());
  auto response = client.request(get("/hello", "X-Padding: " + std::string(17 * 1024, 'a') + "\r\n"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(client.closed_by_server(3000ms));
  Client within(running.port());
  auto fine = within.request(get("/hello", "X-Padding: " + std::string(15 * 1024, 'a') + "\r\n"));
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
}

TEST_F(ServerTest, AnnouncedBodyOverTheRouteLimitGets413WithoutBeingRead) {
  RunningServer running(test_options(), router);
  Client client(running.port());
  // 10 MiB announced to a 1 MiB route (/echo has the default limit); only 64 KiB actually sent.
  SteadyClock::time_point start = SteadyClock::now();
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10485760\r\n\r\n" +
                          std::string(64 * 1024, 'x')));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_LT(elapsed_since(start), 2000ms);
}

TEST_F(ServerTest, ChunkedBodyGrowingPastTheLimitGets413BeforeTheHandler) {
  RunningServer running(test_options(), router);
  Client client(running.port());
  std::string chunk(800, 'y');
  ASSERT_TRUE(client.send("POST /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
                          "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(small_calls, 0);
  Client within(running.port());
  auto fine = within.request("POST /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
                             "\r\n0\r\n\r\n");
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->body, "800");
  EXPECT_EQ(small_calls, 1);
}

TEST_F(ServerTest, SlowLorisConnectionsAreDroppedWhileOthersAreServed) {
  ServerOptions options = test_options();
  options.header_timeout = 1s;
  RunningServer running(options, router);
  std::vector<std::unique_ptr<Client>> stalled;
  for (int index = 0; index < 200; ++index) {
    stalled.push_back(std::make_unique<Client>(running.port()));
    ASSERT_TRUE(stalled.back()->connected());
    ASSERT_TRUE(stalled.back()->send("GET /hello HTTP/1.1\r\nHost: slow\r\nX-Partial: "));
  }
  SteadyClock::time_point stalled_since = SteadyClock::now();
  for (int round = 0; round < 5; ++round) {
    SteadyClock::time_point start = SteadyClock::now();
    Client normal(running.port());
    auto response = normal.request(get("/hello"));
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    // Blocked behind the stalled connections it would wait for their 1 s header timeout; half of that leaves room
    // for a loaded machine (a sanitizer build beside other builds took 141 ms once).
    EXPECT_LT(elapsed_since(start), 500ms) << "round " << round;
    std::this_thread::sleep_for(50ms);
  }
  if (elapsed_since(stalled_since) < 700ms) {
    EXPECT_TRUE(stalled.front()->quiet());  // not dropped too early
  }
  const SteadyClock::time_point deadline = stalled_since + 4000ms;  // header_timeout is 1 s
  for (auto& client : stalled) {
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    ASSERT_TRUE(client->closed_by_server(std::max(remaining, 1ms)));
  }
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ServerOptions options = test_options();
  options.idle_timeout = 1s;
  RunningServer running(options, router);
  Client client(running.port());
  ASSERT_TRUE(client.request(get("/hello")));
  SteadyClock::time_point idle_since = SteadyClock::now();
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(client.quiet());
  EXPECT_TRUE(client.closed_by_server(3000ms));
  EXPECT_GE(elapsed_since(idle_since), 900ms);
}

TEST_F(ServerTest, ConnectionsBeyondTheMaximumGet503) {
  ServerOptions options = test_options();
  options.max_connections = 2;
  RunningServer running(options, router);
  Client first(running.port());
  Client second(running.port());
  ASSERT_TRUE(first.request(get("/hello")));
  ASSERT_TRUE(second.request(get("/hello")));
  Client third(running.port());
  auto refused = third.request(get("/hello"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_TRUE(third.closed_by_server(3000ms));

  first.request(get("/hello", "Connection: close\r\n"));
  ASSERT_TRUE(first.closed_by_server(3000ms));
  std::optional<WireResponse> admitted;
  for (int attempt = 0; attempt < 50; ++attempt) {  // the server notices the close asynchronously
    Client fourth(running.port());
    admitted = fourth.request(get("/hello"));
    if (admitted && admitted->status == 200) break;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(admitted);
  EXPECT_EQ(admitted->status, 200);
}

TEST_F(ServerTest, BlockingHandlerDoesNotDelayInlineRoutes) {
  ServerOptions options = test_options();
  options.network_threads = 1;  // one network thread: a blocking handler run there would stall everyone
  RunningServer running(options, router);
  auto slow = std::async(std::launch::async, [&] {
    Client client(running.port());
    return client.request(get("/sleep/300"));
  });
  ASSERT_TRUE(wait_for_slow_handler());
  SteadyClock::time_point start = SteadyClock::now();
  Client fast(running.port());
  auto response = fast.request(get("/thread"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "fast");
  EXPECT_LT(elapsed_since(start), 100ms);
  auto slow_response = slow.get();
  ASSERT_TRUE(slow_response);
  EXPECT_EQ(slow_response->body, "slept 300");
  EXPECT_NE(handler_thread, inline_thread);  // blocking ran on a worker, inline on the network thread
}

TEST_F(ServerTest, InlineAttemptAnswersOnTheNetworkThreadAndHandsTheRestToTheWorkers) {
  add_remembering_route();
  ServerOptions options = test_options();
  options.network_threads = 1;
  RunningServer running(options, router);
  Client client(running.port());
  auto first = client.request(get("/remembered/a"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "computed a");  // the attempt had no answer: the handler ran
  auto again = client.request(get("/remembered/a"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, "remembered a");
  auto other = client.request(get("/remembered/b"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->body, "computed b");
  auto network = client.request(get("/thread"));
  ASSERT_TRUE(network);
  std::lock_guard lock(remembered_mutex);
  EXPECT_EQ(remembering_handler_calls, 2);
  EXPECT_EQ(attempt_thread, inline_thread);   // the attempt ran on the (only) network thread
  EXPECT_NE(handler_thread, inline_thread);   // the handler on a worker
}

TEST_F(ServerTest, HandlerExceptionGives500AndTheServerKeepsServing) {
  RunningServer running(test_options(), router);
  Client client(running.port());
  auto failed = client.request(get("/fails"));
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 500);
  EXPECT_EQ(failed->body.find("boom"), std::string::npos);  // the exception text stays in the log
  auto invalid = client.request(get("/bad-status"));
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->status, 500);
  auto next = client.request(get("/hello"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(ServerTest, SaneIncomingRequestIdIsKeptOthersReplaced) {
  RunningServer running(test_options(), router);
  Client client(running.port());
  auto kept = client.request(get("/request-id", "X-Request-Id: trace-42.a\r\n"));
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->body, "trace-42.a");
  EXPECT_EQ(kept->header("x-request-id"), "trace-42.a");
  auto replaced = client.request(get("/request-id", "X-Request-Id: bad id <script>\r\n"));
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->body.size(), 32u);
}

TEST_F(ServerTest, DeferredRoutesHoldNoWorkerWhileTheirAnswerIsOwed) {
  add_deferred_routes();
  ServerOptions options = test_options();  // 4 worker threads
  RunningServer running(options, router);
  AnswerHeldOnExit answer_on_exit{*this};
  constexpr int requests = 16;
  std::vector<std::future<std::optional<WireResponse>>> answers;
  for (int index = 0; index < requests; ++index) {
    answers.push_back(std::async(std::launch::async, [&, index] {
      Client client(running.port());
      return client.request(get("/later/" + std::to_string(index)));
    }));
  }
  // Four times as many requests as workers are all owed at once; blocking routes still get a worker meanwhile.
  ASSERT_TRUE(wait_for_held(requests));
  Client other(running.port());
  auto fast = other.request(get("/units/x"));
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->status, 200);
  answer_held();
  for (int index = 0; index < requests; ++index) {
    auto response = answers[index].get();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "later " + std::to_string(index));
  }
}

TEST_F(ServerTest, DeferredAnswersKeepKeepAliveOrderAndADroppedResponderAnswers500) {
  add_deferred_routes();
  RunningServer running(test_options(), router);
  AnswerHeldOnExit answer_on_exit{*this};
  Client client(running.port());
  ASSERT_TRUE(client.send(get("/later/a") + get("/hello")));  // pipelined: /hello waits for the deferred answer
  ASSERT_TRUE(wait_for_held(1));
  EXPECT_TRUE(client.quiet());
  answer_held();
  auto first = client.read_response();
  auto second = client.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "later a");
  EXPECT_EQ(second->body, "hello");
  auto dropped = client.request(get("/dropped"));
  ASSERT_TRUE(dropped);
  EXPECT_EQ(dropped->status, 500);
  auto after = client.request(get("/hello"));  // the connection goes on
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(ServerTest, StopWaitsForAnOwedDeferredAnswer) {
  add_deferred_routes();
  RunningServer running(test_options(), router);
  AnswerHeldOnExit answer_on_exit{*this};
  auto owed = std::async(std::launch::async, [&] {
    Client client(running.port());
    return client.request(get("/later/drained"));
  });
  ASSERT_TRUE(wait_for_held(1));
  running.server().stop();
  EXPECT_FALSE(running.finished_within(300ms));  // the answer is still owed
  answer_held();
  auto response = owed.get();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "later drained");
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(running.finished_within(3000ms));
}

TEST_F(ServerTest, StopLetsTheInFlightRequestFinishAndClosesIdleConnections) {
  RunningServer running(test_options(), router);
  Client idle(running.port());
  ASSERT_TRUE(idle.request(get("/hello")));
  auto slow = std::async(std::launch::async, [&] {
    Client client(running.port());
    return client.request(get("/sleep/300"));
  });
  ASSERT_TRUE(wait_for_slow_handler());
  SteadyClock::time_point stop_requested = SteadyClock::now();
  running.server().stop();
  EXPECT_TRUE(idle.closed_by_server(1000ms));
  auto response = slow.get();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "slept 300");
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(running.finished_within(3000ms));
  EXPECT_LT(elapsed_since(stop_requested), 3000ms);
  Client late(running.port());
  EXPECT_FALSE(late.connected() && late.request(get("/hello")));
}

TEST_F(ServerTest, DrainTimeoutEndsRunEvenIfAHandlerIsStillBusy) {
  ServerOptions options = test_options();
  options.drain_timeout = 1s;
  auto running = std::make_unique<RunningServer>(options, router);
  auto slow = std::async(std::launch::async, [&] {
    Client client(running->port());
    return client.request(get("/sleep/2500"));
  });
  ASSERT_TRUE(wait_for_slow_handler());
  SteadyClock::time_point stop_requested = SteadyClock::now();
  running->server().stop();
  EXPECT_TRUE(running->finished_within(2000ms));
  EXPECT_LT(elapsed_since(stop_requested), 2000ms);
  running.reset();  // waits for the handler
  EXPECT_FALSE(slow.get());  // abandoned: no answer
}

TEST_F(ServerTest, MetricsCountRequestsByRoutePattern) {
  Metrics metrics;
  ServerOptions options = test_options();
  options.metrics = &metrics;
  router.add(Method::get, "/metrics", make_metrics_handler(metrics), inline_route());
  RunningServer running(options, router);
  Client client(running.port());
  ASSERT_TRUE(client.request(get("/units/A")));
  ASSERT_TRUE(client.request(get("/units/B")));
  ASSERT_TRUE(client.request(get("/missing")));
  auto exposition = client.request(get("/metrics"));
  ASSERT_TRUE(exposition);
  EXPECT_EQ(exposition->header("content-type"), Metrics::content_type);
  const std::string& text = exposition->body;
  EXPECT_NE(text.find("dvchub_http_requests_total{route=\"/units/{code}\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("dvchub_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("dvchub_http_request_duration_seconds_count{route=\"/units/{code}\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("dvchub_http_open_connections 1\n"), std::string::npos);
  EXPECT_NE(text.find("dvchub_http_in_flight_requests 1\n"), std::string::npos);  // the /metrics request itself
}

TEST(ServerListen, InvalidAddressOrTakenPortIsUnavailable) {
  Router router;
  auto pipeline = direct_pipeline;
  auto responder = [](const Request&, int status, const std::string& message) {
    return Response::text(status, message);
  };
  ServerOptions bad_address = test_options();
  bad_address.address = "not-an-address";
  Server invalid(bad_address, router, pipeline, responder);
  auto invalid_result = invalid.listen();
  ASSERT_FALSE(invalid_result);
  EXPECT_EQ(invalid_result.error().code, ErrorCode::unavailable);

  // A listener without SO_REUSEPORT holds the port.
  int holder = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(holder, 4), 0);
  socklen_t length = sizeof address;
  ::getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length);
  ServerOptions taken = test_options();
  taken.port = ntohs(address.sin_port);
  Server busy(taken, router, pipeline, responder);
  auto busy_result = busy.listen();
  ::close(holder);
  ASSERT_FALSE(busy_result);
  EXPECT_EQ(busy_result.error().code, ErrorCode::unavailable);
  EXPECT_NE(busy_result.error().message.find(std::to_string(taken.port)), std::string::npos);
}

TEST_F(ServerTest, TwoServersShareOnePortThroughReusePort) {
  RunningServer first(test_options(), router);
  ServerOptions same_port = test_options();
  same_port.port = first.port();
  RunningServer second(same_port, router);
  EXPECT_EQ(second.port(), first.port());
  Client client(first.port());
  auto response = client.request(get("/hello"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST_F(ServerTest, SigtermStopsTheServer) {
  ServerOptions options = test_options();
  options.handle_signals = true;
  RunningServer running(options, router);
  Client client(running.port());
  ASSERT_TRUE(client.request(get("/hello")));  // run() is serving, so the signal set is installed
  std::raise(SIGTERM);
  EXPECT_TRUE(running.finished_within(3000ms));
}

}  // namespace
}  // namespace dvchub::http
