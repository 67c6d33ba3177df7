// support/smtp_server.h — a real SMTP server for tests: Debian's aiosmtpd (python3-aiosmtpd, installed for tests by
// scripts/install-dependencies.sh) on 127.0.0.1, storing what it receives in a Maildir that Python's email package
// decodes (RFC 2047 subjects, base64 bodies), so tests check messages as a mail client would read them.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace dvchub::testing {

// A free TCP port on 127.0.0.1 now (nothing listens on it).
unsigned short free_port();

struct ReceivedMail {
  std::string envelope_recipient;  // RCPT TO, as aiosmtpd recorded it (X-RcptTo)
  std::string from;                // decoded header values
  std::string to;
  std::string subject;
  std::string date;
  std::string message_id;
  std::string body;  // the decoded text, "\n" line breaks
};

class SmtpServer {
 public:
  // Starts aiosmtpd on 127.0.0.1:`port` and waits (up to 15 s) until it accepts connections; started() tells
  // whether it did.
  explicit SmtpServer(unsigned short port);
  // Stops the server (SIGTERM, then waits for it) and removes its Maildir.
  ~SmtpServer();
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  bool started() const { return started_; }
  // "smtp://127.0.0.1:PORT".
  std::string url() const;
  // Every message received so far, ordered by Message-ID.
  std::vector<ReceivedMail> messages() const;

 private:
  unsigned short port_;
  std::string folder_;
  pid_t process_ = -1;
  bool started_ = false;
};

}  // namespace dvchub::testing
