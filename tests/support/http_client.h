// support/http_client.h — a blocking HTTP/1.1 client over one TCP connection to 127.0.0.1, for integration tests
// that speak to a real server byte by byte (keep-alive, pipelining, malformed input, slow clients).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dvchub::testing {

struct WireResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased; a repeated header keeps its last value
  std::string set_cookie;                      // every Set-Cookie value, joined by "\n"
  std::string body;

  // The value of a header (lowercase name), or "".
  std::string header(const std::string& name) const;
};

class HttpClient {
 public:
  // Connects at once; connected() tells whether it worked. Reads wait at most `receive_timeout`.
  explicit HttpClient(unsigned short port,
                      std::chrono::milliseconds receive_timeout = std::chrono::milliseconds(5000));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  bool connected() const { return connected_; }
  // Sends raw bytes; false when the connection is gone.
  bool send(std::string_view data);
  // Reads one response framed by Content-Length. `head`: the response has no body whatever its headers say.
  std::optional<WireResponse> read_response(bool head = false);
  // Sends `raw` and reads one response.
  std::optional<WireResponse> request(std::string_view raw, bool head = false);
  // True when the server closes the connection within `timeout` (reading and dropping what it sends first).
  bool closed_by_server(std::chrono::milliseconds timeout);
  // True when nothing is readable now: the server has neither answered nor closed.
  bool quiet();

 private:
  bool receive_more();

  int descriptor_ = -1;
  bool connected_ = false;
  std::string pending_;
};

// "GET /path HTTP/1.1" with Host and `extra_headers` (each ending in "\r\n").
std::string get_request(std::string_view target, std::string_view extra_headers = "");
// A request with a body and its Content-Length.
std::string body_request(std::string_view method, std::string_view target, std::string_view content_type,
                         std::string_view body, std::string_view extra_headers = "");

}  // namespace dvchub::testing
