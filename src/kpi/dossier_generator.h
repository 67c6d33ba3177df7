// kpi/dossier_generator.h — realistic synthetic dossier exports for demos, tests and benchmarks
// (`dvchub gen dossiers`). Deterministic: the same options give the same bytes on every machine.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "kpi/dossier_format.h"

namespace dvchub::kpi {

struct GeneratorProcedure {
  std::string code;
  bool full_online = false;  // CungCapTrucTuyen = 2: such procedures draw more online dossiers
};

struct GeneratorOptions {
  std::size_t rows = 1000;
  std::vector<std::string> unit_codes;             // MaDonVi values, each with its own online take-up
  std::vector<GeneratorProcedure> procedures;      // MaTTHC values
  DayNumber first_day = 0;                         // received days are spread over first_day..last_day
  DayNumber last_day = 0;
  std::uint64_t seed = 1;
  std::string code_prefix = "HS";                  // MaHoSo = prefix + 9-digit sequence number
};

// Writes the header and `options.rows` dossiers as CSV (dates ISO 8601 with +07:00; about 5 % without due date,
// 8 % unfinished, 5 % with two supplement requests, submitters drawn from a per-unit pool so some file several
// dossiers). Units and procedures must be non-empty and first_day ≤ last_day (programmer errors otherwise).
void generate_dossiers(const GeneratorOptions& options, std::ostream& output);

}  // namespace dvchub::kpi
