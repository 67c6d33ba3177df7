// feedback/answer_templates.h — answer templates (mẫu trả lời): texts coordinators keep for recurring questions, from
// which officers start a draft answer. Retired templates are kept (audit) but no longer offered.
//
// Thread-safe: every call borrows its own connection. `database` and `clock` must outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/error.h"
#include "storage/database.h"

namespace dvchub::feedback {

struct AnswerTemplate {
  std::int64_t id = 0;
  std::string title;
  std::string body;
  bool retired = false;
  std::string updated_by;
  TimePoint updated_at;
};

class AnswerTemplateService {
 public:
  AnswerTemplateService(storage::Database& database, const Clock& clock) : database_(database), clock_(clock) {}

  // Templates in use (with `include_retired`, every one), by title.
  Result<std::vector<AnswerTemplate>> list(bool include_retired = false) const;

  // One template; not_found when there is none.
  Result<AnswerTemplate> find(std::int64_t id) const;

  // Creates (id 0) or changes a template: title 1–200 characters, body 1–8,000. invalid_input per field; not_found
  // for an unknown id. Audited. Returns the stored template.
  Result<AnswerTemplate> save(std::int64_t id, const std::string& title, const std::string& body,
                              const audit::Actor& actor);

  // Retires template `id` (no longer offered). not_found, or conflict when already retired. Audited.
  Result<void> retire(std::int64_t id, const audit::Actor& actor);

 private:
  storage::Database& database_;
  const Clock& clock_;
};

}  // namespace dvchub::feedback
