// notification/notification_routes.h — the pages and API of notifications: a staff member's own list
// (/quan-tri/thong-bao, mark read), GET /api/v1/notifications (own entries only), and the administrators' outbox
// (/quan-tri/hop-thu-di: pending and failed e-mails with their last error, retry now).
#pragma once

#include "http/router.h"
#include "notification/notifications.h"

namespace dvchub::notification {

// Registers the routes. `notifications` must outlive the router.
void register_notification_routes(http::Router& router, const NotificationService& notifications);

}  // namespace dvchub::notification
