// dvchub — the one binary: serve, migrate, seed-demo, user, import, backup, version.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/application.h"
#include "app/terminal.h"
#include "assistant/article_generator.h"
#include "assistant/engine.h"
#include "assistant/evaluation.h"
#include "core/clock.h"
#include "feedback/feedback_generator.h"
#include "kpi/dossier_generator.h"

namespace {

using dvchub::app::Application;

int report(const dvchub::Error& error) {
  std::fprintf(stderr, "Lỗi: %s\n", error.message.c_str());
  for (const auto& field : error.fields) std::fprintf(stderr, "  - %s: %s\n", field.field.c_str(), field.message.c_str());
  if (!error.detail.empty()) std::fprintf(stderr, "  (chi tiết: %s)\n", error.detail.c_str());
  return error.code == dvchub::ErrorCode::invalid_input ? 2 : 1;
}

dvchub::Result<std::unique_ptr<Application>> open_application(const std::string& config_file,
                                                              const dvchub::Clock& clock) {
  auto configuration = DVCHUB_TRY(dvchub::config::load_configuration(config_file));
  spdlog::set_level(spdlog::level::from_str(configuration.log_level));
  return Application::open(configuration, clock, [](int version, const std::string& name) {
    std::fprintf(stderr, "Đã áp dụng migration %04d %s\n", version, name.c_str());
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"dvchub — nền tảng dịch vụ công trực tuyến (Quyết định 1588/QĐ-TTg)"};
  cli.require_subcommand(1);
  std::string config_file;
  cli.add_option("-c,--config", config_file, "Tệp cấu hình TOML (mặc định: biến DVCHUB_CONFIG, nếu có)");

  auto* serve = cli.add_subcommand("serve", "Chạy máy chủ web");
  bool seed_on_start = false;
  serve->add_flag("--seed-demo", seed_on_start, "Thêm dữ liệu minh họa trước khi chạy (nếu chưa có)");
  auto* migrate = cli.add_subcommand("migrate", "Cập nhật cấu trúc cơ sở dữ liệu");
  auto* seed_demo = cli.add_subcommand("seed-demo", "Thêm dữ liệu minh họa (chạy lại nhiều lần vẫn an toàn)");
  auto* version = cli.add_subcommand("version", "In phiên bản");

  auto* user = cli.add_subcommand("user", "Quản lý tài khoản cán bộ");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Tạo tài khoản (mật khẩu nhập từ bàn phím hoặc stdin)");
  std::string username, display_name, role = "officer", unit_code;
  user_add->add_option("username", username, "Tên đăng nhập")->required();
  user_add->add_option("--name", display_name, "Họ tên hiển thị")->required();
  user_add->add_option("--role", role, "admin | coordinator | officer | viewer")->capture_default_str();
  user_add->add_option("--unit", unit_code, "Mã đơn vị (bắt buộc với officer)");
  auto* user_passwd = user->add_subcommand("passwd", "Đặt mật khẩu mới; mọi phiên đăng nhập của tài khoản kết thúc");
  user_passwd->add_option("username", username, "Tên đăng nhập")->required();
  auto* user_list = user->add_subcommand("list", "Liệt kê tài khoản");
  auto* user_email = user->add_subcommand("email", "Đặt địa chỉ thư điện tử nhận thông báo (\"\" để bỏ)");
  std::string email;
  user_email->add_option("username", username, "Tên đăng nhập")->required();
  user_email->add_option("address", email, "Địa chỉ thư điện tử")->required();

  auto* import = cli.add_subcommand("import", "Nhập dữ liệu từ tệp");
  import->require_subcommand(1);
  auto* import_units = import->add_subcommand("units", "Nhập đơn vị từ CSV: code,name,kind,parent_code,valid_from[,valid_to]");
  std::string import_file;
  import_units->add_option("file", import_file, "Tệp CSV (UTF-8)")->required()->check(CLI::ExistingFile);
  auto* import_catalogue =
      import->add_subcommand("catalogue", "Nhập danh mục thủ tục từ CSV hoặc JSON (nhập lại theo mã, không trùng lặp)");
  import_catalogue->add_option("file", import_file, "Tệp CSV hoặc JSON (UTF-8)")->required()->check(CLI::ExistingFile);

  auto* import_dossiers =
      import->add_subcommand("dossiers", "Nhập hồ sơ từ CSV hoặc JSON Lines (nhập lại theo MaHoSo thay thế bản cũ)");
  import_dossiers->add_option("file", import_file, "Tệp CSV hoặc JSON Lines (UTF-8)")->required()->check(CLI::ExistingFile);
  auto* import_population =
      import->add_subcommand("population", "Nhập dân số trưởng thành: MaDonVi,Nam,DanSoTruongThanh");
  import_population->add_option("file", import_file, "Tệp CSV hoặc JSON Lines (UTF-8)")->required()->check(CLI::ExistingFile);
  auto* generate = cli.add_subcommand("gen", "Tạo dữ liệu tổng hợp để thử nghiệm và đo hiệu năng");
  generate->require_subcommand(1);
  auto* generate_dossiers = generate->add_subcommand("dossiers", "Tạo tệp hồ sơ tổng hợp (CSV) từ danh mục thủ tục đã nhập");
  dvchub::kpi::GeneratorOptions generator_options;
  std::string generate_from = "2025-01-01", generate_to = "2025-12-31", generate_output;
  generate_dossiers->add_option("--rows", generator_options.rows, "Số hồ sơ")->capture_default_str();
  generate_dossiers->add_option("--units", generator_options.unit_codes,
                                "Mã đơn vị, cách nhau bằng dấu phẩy (mặc định: mọi xã, phường, thị trấn)")->delimiter(',');
  generate_dossiers->add_option("--seed", generator_options.seed, "Hạt giống ngẫu nhiên")->capture_default_str();
  generate_dossiers->add_option("--from", generate_from, "Ngày tiếp nhận đầu tiên (yyyy-mm-dd)")->capture_default_str();
  generate_dossiers->add_option("--to", generate_to, "Ngày tiếp nhận cuối cùng (yyyy-mm-dd)")->capture_default_str();
  generate_dossiers->add_option("-o,--output", generate_output, "Tệp đích (mặc định: stdout)");
  auto* generate_articles = generate->add_subcommand(
      "articles", "Thêm bài viết tổng hợp synthetic.00001… vào kho tri thức của trợ lý (để đo hiệu năng)");
  dvchub::assistant::ArticleGeneratorOptions article_options;
  generate_articles->add_option("--count", article_options.count, "Số bài viết")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{99999}));
  generate_articles->add_option("--seed", article_options.seed, "Hạt giống ngẫu nhiên")->capture_default_str();

  auto* generate_feedback = generate->add_subcommand(
      "feedback", "Thêm phản ánh tổng hợp (mã bắt đầu bằng 0) vào kho, để đo trang và thống kê ở quy mô lớn");
  dvchub::feedback::FeedbackGeneratorOptions feedback_options;
  generate_feedback->add_option("--count", feedback_options.count, "Số phản ánh")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));
  generate_feedback->add_option("--seed", feedback_options.seed, "Hạt giống ngẫu nhiên")->capture_default_str();

  auto* assistant_command = cli.add_subcommand("assistant", "Trợ lý hỏi đáp");
  assistant_command->require_subcommand(1);
  auto* assistant_eval = assistant_command->add_subcommand(
      "eval", "Đo chất lượng trợ lý trên một bộ câu hỏi có nhãn (JSON Lines), so với FTS5 bm25");
  std::string evaluation_file;
  assistant_eval->add_option("file", evaluation_file, "Tệp JSON Lines: {\"q\", \"topic\", \"style\", \"split\"}")
      ->required()
      ->check(CLI::ExistingFile);

  auto* backup = cli.add_subcommand("backup", "Sao lưu cơ sở dữ liệu (SQLite: sao lưu trực tuyến)");
  std::string backup_file;
  backup->add_option("--to", backup_file, "Tệp đích")->required();

  CLI11_PARSE(cli, argc, argv);

  if (*version) {
    std::printf("dvchub %s\n", DVCHUB_VERSION);
    return 0;
  }

  dvchub::SystemClock clock;
  auto application = open_application(config_file, clock);
  if (!application) return report(application.error());
  Application& app = **application;

  if (*migrate) {
    std::fprintf(stderr, "Cơ sở dữ liệu đã ở phiên bản mới nhất.\n");
    return 0;
  }
  if (*seed_demo || (*serve && seed_on_start)) {
    auto summary = app.seed_demo();
    if (!summary) return report(summary.error());
    if (summary->dossiers_created > 0) std::fprintf(stderr, "Hồ sơ minh họa: thêm %zu.\n", summary->dossiers_created);
    if (summary->feedback_created > 0) std::fprintf(stderr, "Phản ánh minh họa: thêm %d.\n", summary->feedback_created);
    std::fprintf(stderr, "Dữ liệu minh họa: thêm %d đơn vị, %d tài khoản, %zu thủ tục, %d bài viết.\n",
                 summary->units_created, summary->users_created, summary->procedures_created,
                 summary->articles_created);
    if (*seed_demo) return 0;
  }
  if (*serve) {
    auto listening = app.listen();
    if (!listening) return report(listening.error());
    app.run();
    return 0;
  }
  auto actor = dvchub::audit::Actor::system("cli");
  if (*user_add) {
    std::optional<std::int64_t> unit_id;
    if (!unit_code.empty()) {
      auto unit = app.units().find(unit_code, app.units().today());
      if (!unit) return report(unit.error());
      unit_id = unit->id;
    }
    auto password = dvchub::app::read_password("Mật khẩu cho " + username);
    if (!password) return report(dvchub::Error{dvchub::ErrorCode::invalid_input, "Chưa nhập mật khẩu", {}, {}});
    auto created = app.accounts().create_user({username, display_name, *password, role, unit_id}, actor);
    if (!created) return report(created.error());
    std::printf("Đã tạo tài khoản %s (%s).\n", created->username.c_str(), dvchub::accounts::role_name(created->role));
    return 0;
  }
  if (*user_passwd) {
    auto found = app.accounts().find_user_by_username(username);
    if (!found) return report(found.error());
    if (!*found) return report(dvchub::Error{dvchub::ErrorCode::not_found, "Không có tài khoản " + username, {}, {}});
    auto password = dvchub::app::read_password("Mật khẩu mới cho " + username);
    if (!password) return report(dvchub::Error{dvchub::ErrorCode::invalid_input, "Chưa nhập mật khẩu", {}, {}});
    auto changed = app.accounts().change_password((*found)->id, *password, actor);
    if (!changed) return report(changed.error());
    std::printf("Đã đổi mật khẩu của %s; mọi phiên đăng nhập của tài khoản đã kết thúc.\n", username.c_str());
    return 0;
  }
  if (*user_email) {
    auto found = app.accounts().find_user_by_username(username);
    if (!found) return report(found.error());
    if (!*found) return report(dvchub::Error{dvchub::ErrorCode::not_found, "Không có tài khoản " + username, {}, {}});
    auto changed = app.accounts().set_email((*found)->id, email, actor);
    if (!changed) return report(changed.error());
    std::printf("Đã lưu địa chỉ thư điện tử của %s.\n", username.c_str());
    return 0;
  }
  if (*user_list) {
    auto users = app.accounts().list_users();
    if (!users) return report(users.error());
    std::printf("%-24s %-12s %-8s %s\n", "TÊN ĐĂNG NHẬP", "VAI TRÒ", "TT", "HỌ TÊN");
    for (const auto& listed : *users) {
      std::printf("%-24s %-12s %-8s %s\n", listed.username.c_str(), dvchub::accounts::role_name(listed.role),
                  listed.active ? "mở" : "khóa", listed.display_name.c_str());
    }
    return 0;
  }
  if (*import_dossiers || *import_population) {
    std::ifstream file(import_file, std::ios::binary | std::ios::ate);
    const auto total = static_cast<std::size_t>(file.tellg());
    file.seekg(0);
    dvchub::app::ProgressBar progress(*import_dossiers ? "Nhập hồ sơ" : "Nhập dân số");
    auto on_progress = [&](std::size_t done) { progress.update(done, total); };
    std::size_t rejected_count = 0;
    std::vector<dvchub::kpi::RowRejection> rejected;
    std::map<std::string, std::size_t> unknown_units, unknown_procedures;
    if (*import_dossiers) {
      auto imported = app.kpi().import_dossiers(file, on_progress, dvchub::kpi::StoreAccess::exclusive);
      if (!imported) return report(imported.error());
      progress.update(total, total);
      std::printf("Đã đọc %zu dòng: thêm %zu hồ sơ, thay thế %zu, từ chối %zu dòng.\n", imported->rows_read,
                  imported->created, imported->replaced, imported->rejected_count);
      rejected_count = imported->rejected_count;
      rejected = std::move(imported->rejected);
      unknown_units = std::move(imported->unknown_units);
      unknown_procedures = std::move(imported->unknown_procedures);
    } else {
      auto imported = app.kpi().import_population(file, on_progress);
      if (!imported) return report(imported.error());
      progress.update(total, total);
      std::printf("Đã đọc %zu dòng: lưu %zu, từ chối %zu dòng.\n", imported->rows_read, imported->stored,
                  imported->rejected_count);
      rejected_count = imported->rejected_count;
      rejected = std::move(imported->rejected);
      unknown_units = std::move(imported->unknown_units);
    }
    for (const auto& row : rejected) {
      std::printf("  dòng %zu, %s: %s\n", row.line, row.field.empty() ? "(cả dòng)" : row.field.c_str(), row.reason.c_str());
    }
    if (rejected.size() < rejected_count) std::printf("  … và %zu dòng khác\n", rejected_count - rejected.size());
    for (const auto& [code, rows] : unknown_units) std::printf("  Mã đơn vị không có: %s (%zu dòng)\n", code.c_str(), rows);
    for (const auto& [code, rows] : unknown_procedures) {
      std::printf("  Mã thủ tục không có trong danh mục (vẫn nhận, tính là không toàn trình): %s (%zu dòng)\n",
                  code.c_str(), rows);
    }
    return rejected_count == 0 ? 0 : 3;
  }
  if (*generate_dossiers) {
    auto from = dvchub::kpi::day_from_iso(generate_from);
    auto to = dvchub::kpi::day_from_iso(generate_to);
    if (!from || !to || *from > *to) {
      return report(dvchub::Error{dvchub::ErrorCode::invalid_input, "Khoảng ngày không hợp lệ", {}, {}});
    }
    generator_options.first_day = *from;
    generator_options.last_day = *to;
    auto procedures = app.catalogue().all();
    if (!procedures) return report(procedures.error());
    for (const auto& procedure : *procedures) {
      generator_options.procedures.push_back({procedure.code, procedure.online_level == 2});
    }
    if (generator_options.procedures.empty()) {
      return report(dvchub::Error{dvchub::ErrorCode::invalid_input, "Chưa có danh mục thủ tục: chạy dvchub import catalogue trước", {}, {}});
    }
    if (generator_options.unit_codes.empty()) {
      auto units = app.units().list(generate_to);
      if (!units) return report(units.error());
      for (const auto& unit : *units) {
        if (unit.kind == "commune" || unit.kind == "ward" || unit.kind == "town") generator_options.unit_codes.push_back(unit.code);
      }
    }
    if (generator_options.unit_codes.empty()) {
      return report(dvchub::Error{dvchub::ErrorCode::invalid_input, "Không có đơn vị nào để tạo hồ sơ", {}, {}});
    }
    if (generate_output.empty()) {
      dvchub::kpi::generate_dossiers(generator_options, std::cout);
    } else {
      std::ofstream output(generate_output, std::ios::binary);
      dvchub::kpi::generate_dossiers(generator_options, output);
      if (!output) return report(dvchub::Error{dvchub::ErrorCode::internal, "Không ghi được tệp " + generate_output, {}, {}});
    }
    return 0;
  }
  if (*generate_feedback) {
    auto units = app.units().list(app.units().today());
    if (!units) return report(units.error());
    for (const auto& unit : *units) {
      if (unit.kind == "commune" || unit.kind == "ward" || unit.kind == "town") feedback_options.unit_ids.push_back(unit.id);
    }
    dvchub::app::ProgressBar progress("Tạo phản ánh");
    auto added = dvchub::feedback::generate_feedback(
        app.database(), feedback_options, [&](std::size_t done, std::size_t total) { progress.update(done, total); });
    if (!added) return report(added.error());
    std::printf("Đã thêm %zu phản ánh tổng hợp.\n", *added);
    return 0;
  }
  if (*generate_articles) {
    // One transaction; topics already in the store are kept as they are, so running it again adds nothing.
    auto added = app.knowledge().seed(dvchub::assistant::generate_articles(article_options), actor);
    if (!added) return report(added.error());
    std::printf("Đã thêm %d bài viết tổng hợp (%zu yêu cầu; chủ đề đã có được giữ nguyên).\n", *added,
                article_options.count);
    return 0;
  }
  std::string file_content;
  if (*import_units || *import_catalogue) {
    std::ifstream file(import_file, std::ios::binary);
    std::stringstream content;
    content << file.rdbuf();
    file_content = content.str();
  }
  if (*import_catalogue) {
    dvchub::app::ProgressBar progress("Nhập danh mục thủ tục");
    auto imported = app.catalogue().import_text(file_content, actor, [&](std::size_t done, std::size_t total) {
      progress.update(done, total);
    });
    if (!imported) return report(imported.error());
    if (imported->created + imported->updated > 0) {
      if (auto recounted = app.kpi().recount(); !recounted) return report(recounted.error());
    }
    std::printf("Thêm %zu, cập nhật %zu, không đổi %zu, từ chối %zu thủ tục.\n", imported->created,
                imported->updated, imported->unchanged, imported->rejected.size());
    for (const auto& rejected : imported->rejected) {
      std::printf("  %s: %s\n", rejected.field.c_str(), rejected.message.c_str());
    }
    return imported->rejected.empty() ? 0 : 3;
  }
  if (*import_units) {
    dvchub::app::ProgressBar progress("Nhập đơn vị");
    auto imported = app.units().import_csv(file_content, actor, [&](std::size_t done, std::size_t total) {
      progress.update(done, total);
    });
    if (!imported) return report(imported.error());
    std::printf("Đã thêm %zu đơn vị, %zu dòng không đổi, %zu dòng bị từ chối.\n", imported->created,
                imported->unchanged, imported->rejected.size());
    for (const auto& rejected : imported->rejected) {
      std::printf("  %s: %s\n", rejected.field.c_str(), rejected.message.c_str());
    }
    return imported->rejected.empty() ? 0 : 3;
  }
  if (*assistant_eval) {
    std::ifstream file(evaluation_file, std::ios::binary);
    std::stringstream content;
    content << file.rdbuf();
    auto questions = dvchub::assistant::parse_evaluation_questions(content.str());
    if (!questions) return report(questions.error());
    auto stored = app.knowledge().list_articles(false);
    if (!stored) return report(stored.error());
    if (stored->empty()) {
      return report(dvchub::Error{dvchub::ErrorCode::invalid_input,
                                  "Cơ sở dữ liệu chưa có bài viết nào: chạy dvchub seed-demo trước", {}, {}});
    }
    std::vector<dvchub::assistant::Article> articles;
    for (auto& entry : *stored) articles.push_back(std::move(entry.article));
    auto procedures = app.catalogue().all();
    if (!procedures) return report(procedures.error());
    auto engine = dvchub::assistant::Engine::create(articles, *procedures);
    if (!engine) return report(engine.error());
    auto evaluated = dvchub::assistant::evaluate(**engine, articles, *procedures, *questions);
    if (!evaluated) return report(evaluated.error());
    std::printf("%s", dvchub::assistant::format_report(*evaluated).c_str());
    return 0;
  }
  if (*backup) {
    dvchub::app::ProgressBar progress("Sao lưu");
    auto saved = app.database().backup_to(backup_file, [&](std::size_t done, std::size_t total) {
      progress.update(done, total);
    });
    if (!saved) return report(saved.error());
    std::printf("Đã sao lưu vào %s\n", backup_file.c_str());
    return 0;
  }
  return 0;
}
