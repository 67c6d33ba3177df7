// app/application.h — wires dvchub together: configuration, store, services, routes, middleware and the server.
//
// Adding a module: give it a folder with its service and a register_*_routes(router, …) function, construct the
// service in Application::open(), call its register function in build_router() and its demo seeding in
// seed_demo(). Nothing else changes.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "accounts/accounts.h"
#include "assistant/assistant_service.h"
#include "assistant/knowledge_store.h"
#include "calendar/working_calendar.h"
#include "catalogue/catalogue.h"
#include "config/configuration.h"
#include "core/clock.h"
#include "core/error.h"
#include "feedback/answer_templates.h"
#include "feedback/api_keys.h"
#include "feedback/feedback_service.h"
#include "feedback/survey_service.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "kpi/kpi_service.h"
#include "notification/notifications.h"
#include "notification/smtp_transport.h"
#include "plan/plan_changes.h"
#include "plan/plan_service.h"
#include "plan/reporting.h"
#include "storage/migrations.h"
#include "storage/database.h"
#include "units/units.h"

namespace dvchub::app {

struct DemoSummary {
  int units_created = 0;
  int users_created = 0;
  std::size_t procedures_created = 0;
  std::size_t dossiers_created = 0;
  int articles_created = 0;
  int plans_created = 0;
  int feedback_created = 0;
};

class PageCache;
class PeriodicTask;

class Application {
 public:
  // Opens the store named by `configuration`, applies pending migrations (printing progress through `progress`
  // when given) and builds the services. `clock` must outlive the application (tests pass a ManualClock).
  static Result<std::unique_ptr<Application>> open(const config::Configuration& configuration, const Clock& clock,
                                                   const storage::MigrationProgress& progress = {});
  // As open(), on a store the caller has opened already (tests use a fresh store per backend).
  static Result<std::unique_ptr<Application>> open_with_database(const config::Configuration& configuration,
                                                                 const Clock& clock,
                                                                 std::unique_ptr<storage::Database> database,
                                                                 const storage::MigrationProgress& progress = {});
  ~Application();

  // Builds the routes, starts the background tasks (assistant refresh, escalations, reminders, the outbox, session
  // purge) and binds the server to the configured address (port 0: a free port). Call before run(). The assistant's
  // engine is built by the first run of its refresh task, at once and beside the server: asks are answered 503 until
  // it is ready (assistant().engine_state()), everything else at once. Commands that do not serve never build the
  // engine nor start the background tasks.
  Result<void> listen(bool handle_signals = true);
  unsigned short port() const;
  // Serves until stop() or SIGTERM/SIGINT; then finishes in-flight requests, waits for the assistant's refresh to end
  // (a first build under way runs to its end) and closes the store.
  void run();
  void stop();

  // Adds the demo content of every module; idempotent.
  Result<DemoSummary> seed_demo();

  storage::Database& database() { return *database_; }
  accounts::AccountService& accounts() { return *accounts_; }
  units::UnitService& units() { return *units_; }
  catalogue::CatalogueService& catalogue() { return *catalogue_; }
  kpi::KpiService& kpi() { return *kpi_; }
  assistant::KnowledgeStore& knowledge() { return *knowledge_; }
  plan::PlanService& plans() { return *plans_; }
  calendar::WorkingCalendar& calendar() { return *calendar_; }
  feedback::FeedbackService& feedback() { return *feedback_; }
  feedback::SurveyService& surveys() { return *surveys_; }
  notification::NotificationService& notifications() { return *notifications_; }
  // The assistant; made by listen().
  assistant::AssistantService& assistant() { return *assistant_; }
  // For tests: `gate` runs on the assistant's refresh thread before the engine's first build, so a test can hold the
  // build while it looks at the server (and must let it go before the application is destroyed). Call before
  // listen().
  void hold_assistant_build(std::function<void()> gate) { assistant_build_gate_ = std::move(gate); }
  // The routes; built by listen().
  const http::Router& router() const { return router_; }
  const config::Configuration& configuration() const { return configuration_; }

 private:
  Application(const config::Configuration& configuration, const Clock& clock);
  void build_router();
  void start_background_tasks();

  config::Configuration configuration_;
  const Clock& clock_;
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<accounts::AccountService> accounts_;
  std::unique_ptr<units::UnitService> units_;
  std::unique_ptr<catalogue::CatalogueService> catalogue_;
  std::unique_ptr<kpi::KpiService> kpi_;
  std::unique_ptr<plan::PlanService> plans_;
  std::unique_ptr<plan::ReportingService> reporting_;
  std::unique_ptr<plan::PlanChangeService> plan_changes_;
  std::unique_ptr<assistant::KnowledgeStore> knowledge_;
  std::unique_ptr<assistant::AssistantService> assistant_;
  std::function<void()> assistant_build_gate_;  // see hold_assistant_build
  std::unique_ptr<PeriodicTask> assistant_refresh_;
  std::unique_ptr<calendar::WorkingCalendar> calendar_;
  std::unique_ptr<feedback::FeedbackService> feedback_;
  std::unique_ptr<feedback::SurveyService> surveys_;
  std::unique_ptr<feedback::ApiKeyService> open311_keys_;
  std::unique_ptr<feedback::AnswerTemplateService> answer_templates_;
  std::unique_ptr<notification::NotificationService> notifications_;
  std::unique_ptr<notification::SmtpTransport> smtp_;
  http::Metrics metrics_;
  http::Router router_;
  std::unique_ptr<PageCache> home_page_;
  std::unique_ptr<PeriodicTask> purge_expired_sessions_;
  std::unique_ptr<PeriodicTask> escalate_overdue_feedback_;
  std::unique_ptr<PeriodicTask> plan_report_notices_;
  std::unique_ptr<PeriodicTask> deliver_notifications_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace dvchub::app
