// plan/reporting_documents.h — the reporting cycle's documents: the compiled report and a unit's report as
// Vietnamese administrative reports (Decree 30/2020/NĐ-CP layout, written by src/document as DOCX or PDF), and the
// compiled report's tables as a workbook (src/spreadsheet). The issuers' names are written in capitals (ICU's
// Vietnamese case mapping, src/text). Pure functions of their inputs; thread-safe.
#pragma once

#include <string>

#include "document/administrative_document.h"
#include "plan/plan_service.h"
#include "plan/reporting.h"
#include "spreadsheet/spreadsheet.h"

namespace dvchub::plan {

// The compiled report as a workbook: tasks, targets, difficulties and proposals, commendations and the status
// board, one sheet each.
spreadsheet::Workbook compiled_workbook(const CompiledReport& compiled);

// The compiled report as an administrative report of the lead office under the issuing unit, dated `today` (ISO).
document::AdministrativeDocument compiled_document(const CompiledReport& compiled, const std::string& today);

// A unit's report as an administrative report of the unit to the plan's lead office, dated `today` (ISO).
document::AdministrativeDocument report_document(const Report& report, const PlanSummary& plan,
                                                 const std::string& today);

}  // namespace dvchub::plan
