// app/pipeline.h — the middleware every routed request goes through, in order:
// 1. authentication: the session cookie becomes request.principal (blocking routes only: inline routes are public
//    and never touch the store);
// 2. access rule of the route (401 → sign-in page or JSON, 403);
// 3. CSRF: a state-changing request with a session must carry the session's token (form field or header); one
//    without a session must not come from another site (Origin check);
// 4. the handler (a deferred handler answers later, through a Responder: steps 5 and 6 then run when it answers;
//    a route's inline attempt runs instead on the network thread, and when it has no answer nothing is sent and
//    the server runs the pipeline again on the worker pool);
// 5. security headers (CSP, X-Content-Type-Options, Referrer-Policy, frame-ancestors), X-Request-Id,
//    Cache-Control: no-store for signed-in answers;
// 6. the access log line.
#pragma once

#include "accounts/accounts.h"
#include "http/server.h"

namespace dvchub::app {

struct PipelineSettings {
  bool access_log = true;
};

// The pipeline for the server. `accounts` must outlive it.
http::Pipeline make_pipeline(accounts::AccountService& accounts, PipelineSettings settings);

// Answers for requests that reach no handler (404, 405, 413, …): JSON under /api/, an HTML page elsewhere, with
// the same security headers.
http::ErrorResponder make_error_responder();

// Adds the security headers to any response (used by the pipeline and the error responder). A
// Content-Security-Policy the handler set is kept (with no X-Frame-Options), so a page meant to be embedded can
// say where it may be framed.
void add_security_headers(http::Response& response);

}  // namespace dvchub::app
