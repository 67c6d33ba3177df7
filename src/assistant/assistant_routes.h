// assistant/assistant_routes.h — the assistant's API (/api/v1/assistant/…), its public pages (/tro-ly…) and the
// coordinators' pages (/quan-tri/tro-ly…: articles, review queue).
#pragma once

#include "assistant/assistant_service.h"
#include "http/router.h"

namespace dvchub::assistant {

// Registers every assistant route. `assistant` must outlive the router.
void register_assistant_routes(http::Router& router, AssistantService& assistant);

}  // namespace dvchub::assistant
