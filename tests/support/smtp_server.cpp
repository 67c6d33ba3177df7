#include "support/smtp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

namespace dvchub::testing {
namespace {

constexpr const char* python = "/usr/bin/python3";  // Debian's, where python3-aiosmtpd is installed

sockaddr_in loopback(unsigned short port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

bool accepts_connections(unsigned short port) {
  const int descriptor = ::socket(AF_INET, SOCK_STREAM, 0);
  if (descriptor < 0) return false;
  const sockaddr_in address = loopback(port);
  const bool connected = ::connect(descriptor, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(descriptor);
  return connected;
}

// Decodes every message of the Maildir: fields separated by 0x1F, messages ended by 0x1E.
constexpr const char* decode_script = R"PY(
import email, email.policy, mailbox, sys
box = mailbox.Maildir(sys.argv[1], create=False)
mails = [email.message_from_bytes(box.get_bytes(key), policy=email.policy.default) for key in box.keys()]
for mail in sorted(mails, key=lambda mail: str(mail['Message-ID'])):
    fields = [mail['X-RcptTo'], mail['From'], mail['To'], mail['Subject'], mail['Date'], mail['Message-ID'],
              mail.get_content().replace('\r\n', '\n')]  # canonical CRLF, as a mail client shows it
    sys.stdout.write('\x1f'.join(str(field) for field in fields) + '\x1e')
)PY";

}  // namespace

unsigned short free_port() {
  const int descriptor = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = loopback(0);
  ::bind(descriptor, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(descriptor, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(descriptor);
  return ntohs(address.sin_port);
}

SmtpServer::SmtpServer(unsigned short port) : port_(port) {
  char folder[] = "/tmp/dvchub-smtp-XXXXXX";
  if (::mkdtemp(folder) == nullptr) return;
  folder_ = folder;
  const std::string mailbox = folder_ + "/maildir";
  const std::string listen = "127.0.0.1:" + std::to_string(port_);
  process_ = ::fork();
  if (process_ == 0) {
    const int null_device = ::open("/dev/null", O_RDWR);
    ::dup2(null_device, STDIN_FILENO);
    ::dup2(null_device, STDOUT_FILENO);
    ::dup2(null_device, STDERR_FILENO);
    ::execl(python, python, "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c", "aiosmtpd.handlers.Mailbox",
            mailbox.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (process_ > 0 && std::chrono::steady_clock::now() < deadline) {
    if (accepts_connections(port_)) {
      started_ = true;
      return;
    }
    int status = 0;
    if (::waitpid(process_, &status, WNOHANG) == process_) {  // it exited (not installed, port taken)
      process_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

SmtpServer::~SmtpServer() {
  if (process_ > 0) {
    ::kill(process_, SIGTERM);
    int status = 0;
    ::waitpid(process_, &status, 0);
  }
  if (!folder_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
}

std::string SmtpServer::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

std::vector<ReceivedMail> SmtpServer::messages() const {
  std::vector<ReceivedMail> mails;
  const std::string script_path = folder_ + "/decode.py";
  if (std::FILE* script = std::fopen(script_path.c_str(), "w")) {
    std::fputs(decode_script, script);
    std::fclose(script);
  }
  const std::string command = std::string(python) + " " + script_path + " " + folder_ + "/maildir";
  std::string output;
  {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    std::array<char, 4096> buffer{};
    while (pipe) {
      const std::size_t read = std::fread(buffer.data(), 1, buffer.size(), pipe.get());
      if (read == 0) break;
      output.append(buffer.data(), read);
    }
  }
  std::size_t start = 0;
  for (std::size_t end = output.find('\x1e'); end != std::string::npos; end = output.find('\x1e', start)) {
    std::vector<std::string> fields;
    const std::string record = output.substr(start, end - start);
    std::size_t field_start = 0;
    for (std::size_t separator = record.find('\x1f'); separator != std::string::npos;
         separator = record.find('\x1f', field_start)) {
      fields.push_back(record.substr(field_start, separator - field_start));
      field_start = separator + 1;
    }
    fields.push_back(record.substr(field_start));
    if (fields.size() == 7) {
      mails.push_back(ReceivedMail{fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]});
    }
    start = end + 1;
  }
  return mails;
}

}  // namespace dvchub::testing
