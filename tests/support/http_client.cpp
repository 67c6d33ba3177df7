#include "support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>

namespace dvchub::testing {

using SteadyClock = std::chrono::steady_clock;

std::string WireResponse::header(const std::string& name) const {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

HttpClient::HttpClient(unsigned short port, std::chrono::milliseconds receive_timeout) {
  descriptor_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connected_ = ::connect(descriptor_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  timeval timeout{};
  timeout.tv_sec = receive_timeout.count() / 1000;
  timeout.tv_usec = (receive_timeout.count() % 1000) * 1000;
  ::setsockopt(descriptor_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  int one = 1;
  ::setsockopt(descriptor_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

HttpClient::~HttpClient() { ::close(descriptor_); }

bool HttpClient::send(std::string_view data) {
  while (!data.empty()) {
    ssize_t sent = ::send(descriptor_, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

std::optional<WireResponse> HttpClient::read_response(bool head) {
  std::size_t header_end;
  while ((header_end = pending_.find("\r\n\r\n")) == std::string::npos) {
    if (!receive_more()) return std::nullopt;
  }
  WireResponse response;
  std::string_view head_text(pending_.data(), header_end);
  std::size_t line_end = head_text.find("\r\n");
  std::string_view status_line = head_text.substr(0, line_end);
  if (status_line.size() < 12) return std::nullopt;
  response.status = std::stoi(std::string(status_line.substr(9, 3)));
  while (line_end != std::string_view::npos) {
    head_text.remove_prefix(line_end + 2);
    line_end = head_text.find("\r\n");
    std::string_view line = head_text.substr(0, line_end);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (char& character : name) character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (name == "set-cookie") {
      if (!response.set_cookie.empty()) response.set_cookie += "\n";
      response.set_cookie += std::string(value);
    }
    response.headers[name] = std::string(value);
  }
  pending_.erase(0, header_end + 4);
  std::size_t length = 0;
  if (!head && response.headers.count("content-length")) length = std::stoul(response.headers["content-length"]);
  while (pending_.size() < length) {
    if (!receive_more()) return std::nullopt;
  }
  response.body = pending_.substr(0, length);
  pending_.erase(0, length);
  return response;
}

std::optional<WireResponse> HttpClient::request(std::string_view raw, bool head) {
  if (!send(raw)) return std::nullopt;
  return read_response(head);
}

bool HttpClient::closed_by_server(std::chrono::milliseconds timeout) {
  SteadyClock::time_point deadline = SteadyClock::now() + timeout;
  while (SteadyClock::now() < deadline) {
    pollfd poll_descriptor{descriptor_, POLLIN, 0};
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
    if (::poll(&poll_descriptor, 1, static_cast<int>(std::max<std::int64_t>(1, remaining))) <= 0) continue;
    char buffer[4096];
    ssize_t received = ::recv(descriptor_, buffer, sizeof buffer, 0);
    if (received == 0 || (received < 0 && errno == ECONNRESET)) return true;
  }
  return false;
}

bool HttpClient::quiet() {
  pollfd poll_descriptor{descriptor_, POLLIN, 0};
  return ::poll(&poll_descriptor, 1, 0) == 0;
}

bool HttpClient::receive_more() {
  char buffer[16384];
  ssize_t received = ::recv(descriptor_, buffer, sizeof buffer, 0);
  if (received <= 0) return false;
  pending_.append(buffer, static_cast<std::size_t>(received));
  return true;
}

std::string get_request(std::string_view target, std::string_view extra_headers) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) + "\r\n";
}

std::string body_request(std::string_view method, std::string_view target, std::string_view content_type,
                         std::string_view body, std::string_view extra_headers) {
  return std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: test\r\nContent-Type: " +
         std::string(content_type) + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(body);
}

}  // namespace dvchub::testing
