// accounts/account_routes.h — staff pages for accounts (/quan-tri/nguoi-dung for admins, /quan-tri/mat-khau for
// everyone signed in) and the demo accounts.
#pragma once

#include "accounts/accounts.h"
#include "http/router.h"
#include "units/units.h"

namespace dvchub::accounts {

// Registers the account pages. The services must outlive the router.
void register_account_routes(http::Router& router, AccountService& accounts, units::UnitService& units);

// Password of every demo account: DVCHUB_DEMO_PASSWORD, or "dvchub-demo-2025" when unset. Demo stores only.
std::string demo_password();

// Creates the demo accounts unless they exist: admin, dieuphoi (coordinator), canbo.xa (officer of a demo
// commune), lanhdao (viewer). Returns how many were created. Needs the demo units.
Result<int> seed_demo_accounts(AccountService& accounts, units::UnitService& units, const audit::Actor& actor);

}  // namespace dvchub::accounts
