#include "app/application.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "accounts/account_routes.h"
#include "app/page_cache.h"
#include "app/periodic_task.h"
#include "app/pipeline.h"
#include "app/shell_routes.h"
#include "assistant/assistant_routes.h"
#include "assistant/knowledge.h"
#include "calendar/calendar_routes.h"
#include "catalogue/catalogue_routes.h"
#include "core/dates.h"
#include "feedback/answer_template_routes.h"
#include "feedback/deadline_rule_routes.h"
#include "feedback/api_key_routes.h"
#include "feedback/demo_feedback.h"
#include "feedback/feedback_routes.h"
#include "feedback/open311.h"
#include "feedback/survey_routes.h"
#include "kpi/demo_dossiers.h"
#include "kpi/kpi_routes.h"
#include "kpi/upload_routes.h"
#include "notification/notification_routes.h"
#include "plan/demo_plan.h"
#include "plan/demo_reporting.h"
#include "plan/plan_change_routes.h"
#include "plan/plan_routes.h"
#include "plan/reporting_routes.h"
#include "units/demo_units.h"
#include "units/unit_routes.h"

namespace dvchub::app {

Application::Application(const config::Configuration& configuration, const Clock& clock)
    : configuration_(configuration), clock_(clock) {}

Application::~Application() {
  server_.reset();
  deliver_notifications_.reset();
  assistant_refresh_.reset();
  purge_expired_sessions_.reset();
  escalate_overdue_feedback_.reset();
  plan_report_notices_.reset();
  home_page_.reset();
  if (database_) database_->close();
}

Result<std::unique_ptr<Application>> Application::open(const config::Configuration& configuration,
                                                       const Clock& clock,
                                                       const storage::MigrationProgress& progress) {
  storage::DatabaseOptions options;
  options.pool_size = configuration.database_pool_size;
  auto database = DVCHUB_TRY(storage::open_database(configuration.database_url, options));
  return open_with_database(configuration, clock, std::move(database), progress);
}

Result<std::unique_ptr<Application>> Application::open_with_database(const config::Configuration& configuration,
                                                                     const Clock& clock,
                                                                     std::unique_ptr<storage::Database> database,
                                                                     const storage::MigrationProgress& progress) {
  std::unique_ptr<Application> application(new Application(configuration, clock));
  application->database_ = std::move(database);
  DVCHUB_TRY(storage::migrate(*application->database_, clock, progress));
  accounts::AccountOptions account_options;
  account_options.session_lifetime = std::chrono::hours(configuration.session_hours);
  application->accounts_ = std::make_unique<accounts::AccountService>(*application->database_, clock, account_options);
  application->units_ = std::make_unique<units::UnitService>(*application->database_, clock);
  application->catalogue_ = std::make_unique<catalogue::CatalogueService>(*application->database_, clock);
  application->kpi_ = std::make_unique<kpi::KpiService>(*application->database_, clock);
  application->plans_ = std::make_unique<plan::PlanService>(*application->database_, *application->units_,
                                                            *application->kpi_, clock);
  application->reporting_ = std::make_unique<plan::ReportingService>(
      *application->database_, *application->units_, *application->kpi_, *application->plans_, clock);
  application->plan_changes_ = std::make_unique<plan::PlanChangeService>(
      *application->database_, *application->units_, *application->plans_, *application->reporting_, clock);
  notification::MailSettings mail{configuration.mail_from, config::public_url_of(configuration)};
  application->notifications_ = std::make_unique<notification::NotificationService>(
      DVCHUB_TRY(notification::NotificationService::create(*application->database_, clock, std::move(mail))));
  application->smtp_ = std::make_unique<notification::SmtpTransport>(notification::SmtpSettings{configuration.smtp_url});
  application->knowledge_ = std::make_unique<assistant::KnowledgeStore>(*application->database_, clock);
  application->calendar_ = std::make_unique<calendar::WorkingCalendar>(*application->database_, clock);
  // Statutory holidays (lunar ones computed) for last year to three years ahead; each year once, so an
  // administrator's corrections stay.
  const int this_year = static_cast<int>(vietnam_date(clock.now()).year());
  DVCHUB_TRY(application->calendar_->seed_statutory_holidays(std::min(2025, this_year - 1), this_year + 2,
                                                             audit::Actor::system("calendar")));
  application->feedback_ = std::make_unique<feedback::FeedbackService>(*application->database_, *application->units_,
                                                                       *application->calendar_, clock);
  application->surveys_ =
      std::make_unique<feedback::SurveyService>(*application->database_, *application->units_, clock);
  application->open311_keys_ = std::make_unique<feedback::ApiKeyService>(*application->database_, clock);
  application->answer_templates_ = std::make_unique<feedback::AnswerTemplateService>(*application->database_, clock);
  auto* store = application->database_.get();
  (void)application->metrics_.register_gauge("dvchub_store_connections", "Connections open in the store pool",
                                             [store] { return double(store->statistics().size); });
  (void)application->metrics_.register_gauge("dvchub_store_connections_in_use", "Store connections borrowed now",
                                             [store] { return double(store->statistics().in_use); });
  application->home_page_ = std::make_unique<PageCache>(
      [units = application->units_.get()] { return render_home_page(*units); }, std::chrono::seconds(2));
  return application;
}

void Application::build_router() {
  register_shell_routes(router_, ShellServices{*database_, *accounts_, *units_, metrics_, *home_page_,
                                               configuration_.secure_cookies});
  accounts::register_account_routes(router_, *accounts_, *units_);
  units::register_unit_routes(router_, *units_);
  catalogue::register_catalogue_routes(router_, *catalogue_);
  kpi::register_kpi_routes(router_, *kpi_);
  kpi::register_kpi_upload_routes(router_, *kpi_, *catalogue_);
  plan::register_plan_routes(router_, *plans_, *plan_changes_);
  plan::register_plan_change_routes(router_, {*plan_changes_, *plans_, *reporting_, *units_, *kpi_});
  plan::register_reporting_routes(router_, *reporting_, *plans_);
  assistant::register_assistant_routes(router_, *assistant_);
  feedback::register_feedback_routes(router_, *feedback_, *surveys_, *answer_templates_, *units_);
  feedback::register_answer_template_routes(router_, *answer_templates_);
  feedback::register_deadline_rule_routes(router_, feedback_->deadline_rules());
  feedback::register_survey_routes(router_, *surveys_, *units_, *catalogue_, config::public_url_of(configuration_));
  feedback::register_open311_routes(router_, *feedback_, *open311_keys_, clock_);
  feedback::register_api_key_routes(router_, *open311_keys_);
  calendar::register_calendar_routes(router_, *calendar_, clock_);
  notification::register_notification_routes(router_, *notifications_);
}

// The server's background work. Not started by open(): a command-line run (an import, a user change) would otherwise
// compete with its own work for the store — an import that holds the store exclusively made each of these fail
// and warn every second.
void Application::start_background_tasks() {
  // The first run builds the assistant's engine (seconds at 10,000 articles) while the server already answers; a
  // build that fails is tried again every second. Then edits made by any process (the staff pages, `dvchub import
  // catalogue`) reach the assistant within a second.
  assistant_refresh_ = std::make_unique<PeriodicTask>(
      [assistant = assistant_.get(), gate = std::move(assistant_build_gate_)]() mutable {
        if (gate) std::exchange(gate, nullptr)();  // a test holds the first build here (hold_assistant_build)
        if (auto refreshed = assistant->refresh(); !refreshed) {
          if (assistant->engine_state() == assistant::EngineState::ready) {
            spdlog::warn("Không cập nhật được chỉ mục của trợ lý: {}", refreshed.error().detail);
          } else {
            spdlog::error("Không dựng được bộ máy trả lời của trợ lý (thử lại sau 1 giây; câu hỏi được trả lời 503): "
                          "{} {}", refreshed.error().message, refreshed.error().detail);
          }
        }
      },
      std::chrono::seconds(1), FirstRun::at_once);
  // Overdue feedback reaches the coordinators within a minute, and items one working day from their deadline
  // remind their unit; several processes may run this (once per deadline is kept by the store, a rare double event
  // is harmless, notices are queued once per key).
  escalate_overdue_feedback_ = std::make_unique<PeriodicTask>(
      [feedback = feedback_.get()] {
        if (auto escalated = feedback->escalate_overdue(audit::Actor::system("escalation")); !escalated) {
          spdlog::warn("Không báo được phản ánh quá hạn: {}", escalated.error().detail);
        }
        if (auto reminded = feedback->remind_due_soon(audit::Actor::system("reminder")); !reminded) {
          spdlog::warn("Không nhắc được phản ánh sắp đến hạn: {}", reminded.error().detail);
        }
      },
      std::chrono::minutes(1));
  // Units that have not reported are reminded before the due day and escalated after it, once each (the store
  // keeps each notice once, so several processes may run this).
  plan_report_notices_ = std::make_unique<PeriodicTask>(
      [reporting = reporting_.get()] {
        if (auto sent = reporting->send_notices(audit::Actor::system("plan-reminders")); !sent) {
          spdlog::warn("Không gửi được nhắc nhở báo cáo kế hoạch: {}", sent.error().detail);
        }
      },
      std::chrono::minutes(10));
  // The outbox goes to the SMTP relay every 10 s; a relay that is down leaves messages pending, retried later.
  deliver_notifications_ = std::make_unique<PeriodicTask>(
      [notifications = notifications_.get(), smtp = smtp_.get()] {
        auto delivered = notifications->deliver_due(*smtp);
        if (!delivered) {
          spdlog::warn("Không gửi được hộp thư đi: {}", delivered.error().detail);
        } else if (delivered->postponed + delivered->failed > 0) {
          spdlog::warn("Hộp thư đi: {} thư đã gửi, {} thư chờ gửi lại, {} thư thất bại", delivered->sent,
                       delivered->postponed, delivered->failed);
        }
      },
      std::chrono::seconds(10));
  purge_expired_sessions_ = std::make_unique<PeriodicTask>(
      [accounts = accounts_.get()] {
        if (auto purged = accounts->purge_expired(); !purged) {
          spdlog::warn("Không dọn được phiên hết hạn: {}", purged.error().detail);
        }
      },
      std::chrono::minutes(10));
}

Result<void> Application::listen(bool handle_signals) {
  if (!assistant_) {
    // The assistant's engine is built for serving only (by its refresh task, started below): a command such as
    // `dvchub import dossiers` on a store of 10,000 articles would otherwise spend ~15 s and ~1.8 GB building an index
    // it never asks.
    assistant_ = assistant::AssistantService::create(*knowledge_, *catalogue_, clock_);
    (void)metrics_.register_gauge(
        "dvchub_assistant_refused_questions",
        "Questions (unanswered or voted down) refused by the assistant's full review queue since the server started",
        [assistant = assistant_.get()] { return double(assistant->refused_questions()); });
    (void)metrics_.register_gauge(
        "dvchub_assistant_ready",
        "1 once the assistant's engine is built and questions are answered; 0 while it is built (asks answer 503)",
        [assistant = assistant_.get()] {
          return assistant->engine_state() == assistant::EngineState::ready ? 1.0 : 0.0;
        });
    build_router();
    start_background_tasks();
  }
  http::ServerOptions options;
  options.address = configuration_.listen_address;
  options.port = configuration_.listen_port;
  options.network_threads = configuration_.network_threads;
  options.worker_threads = configuration_.worker_threads;
  options.handle_signals = handle_signals;
  options.metrics = &metrics_;
  server_ = std::make_unique<http::Server>(options, router_,
                                           make_pipeline(*accounts_, PipelineSettings{configuration_.access_log}),
                                           make_error_responder());
  return server_->listen();
}

unsigned short Application::port() const { return server_ ? server_->port() : 0; }

void Application::run() {
  spdlog::info("dvchub đang phục vụ tại http://{}:{}", configuration_.listen_address, port());
  server_->run();
  if (assistant_refresh_ && assistant_->engine_state() != assistant::EngineState::ready) {
    // A build under way is not cut short (the engine has no way to stop mid-way): at 10,050 articles up to ~13 s.
    spdlog::info("Đang chờ trợ lý dựng xong bộ máy trả lời để dừng…");
  }
  assistant_refresh_.reset();
  spdlog::info("dvchub đã dừng");
}

void Application::stop() {
  if (server_) server_->stop();
}

Result<DemoSummary> Application::seed_demo() {
  DemoSummary summary;
  auto actor = audit::Actor::system("seed-demo");
  summary.units_created = DVCHUB_TRY(units::seed_demo_units(*units_, actor));
  summary.users_created = DVCHUB_TRY(accounts::seed_demo_accounts(*accounts_, *units_, actor));
  catalogue::CatalogueReport procedures;
  procedures.procedures = DVCHUB_TRY(assistant::seed_procedures());
  summary.procedures_created = DVCHUB_TRY(catalogue_->import(procedures, actor)).created;
  std::vector<kpi::GeneratorProcedure> demo_procedures;
  for (const auto& procedure : DVCHUB_TRY(catalogue_->all())) {
    demo_procedures.push_back({procedure.code, procedure.online_level == 2});
  }
  summary.dossiers_created = DVCHUB_TRY(kpi::seed_demo_dossiers(*kpi_, demo_procedures));
  summary.plans_created = DVCHUB_TRY(plan::seed_demo_plans(*plans_, actor));
  DVCHUB_TRY(plan::seed_demo_reporting(*reporting_, *plans_, actor));
  summary.articles_created = DVCHUB_TRY(knowledge_->seed(DVCHUB_TRY(assistant::seed_articles()), actor));
  if (assistant_) DVCHUB_TRY(assistant_->refresh());  // a server's index sees the new articles at once
  summary.feedback_created = DVCHUB_TRY(feedback::seed_demo_feedback(*database_, *units_, *calendar_, clock_));
  home_page_->refresh();
  return summary;
}

}  // namespace dvchub::app
