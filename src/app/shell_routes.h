// app/shell_routes.h — routes of the web shell and the platform: health, readiness, metrics, assets, the OpenAPI
// document, the public home page, sign-in and sign-out, the staff home and the audit log.
#pragma once

#include "accounts/accounts.h"
#include "app/page_cache.h"
#include "http/metrics.h"
#include "http/router.h"
#include "storage/database.h"
#include "units/units.h"

namespace dvchub::app {

struct ShellServices {
  storage::Database& database;
  accounts::AccountService& accounts;
  units::UnitService& units;
  http::Metrics& metrics;
  const PageCache& home_page;
  bool secure_cookies = false;
};

// Registers the shell's routes. Every referenced service must outlive the router.
void register_shell_routes(http::Router& router, const ShellServices& services);

// Renders the public home page (used by the page cache).
std::string render_home_page(units::UnitService& units);

}  // namespace dvchub::app
