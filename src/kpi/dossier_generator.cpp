#include "kpi/dossier_generator.h"

#include <cassert>
#include <cstdio>

namespace dvchub::kpi {
namespace {

// SplitMix64: tiny, fast and the same everywhere (std distributions are not).
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t value = (state_ += 0x9E3779B97F4A7C15ull);
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
    return value ^ (value >> 31);
  }
  // Uniform in [0, bound).
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  // True with probability `percent` / 100.
  bool chance(std::uint64_t percent) { return below(100) < percent; }

 private:
  std::uint64_t state_;
};

// "2025-02-03T08:00:00+07:00" of a Unix instant, in Vietnam time.
void append_instant(std::string& line, std::int64_t unix_seconds) {
  DayNumber day = local_day(unix_seconds);
  std::int64_t seconds_of_day = unix_seconds - start_of_local_day(day);
  std::string date = iso_from_day(day);
  char text[40];
  std::snprintf(text, sizeof text, "%sT%02d:%02d:%02d+07:00", date.c_str(), int(seconds_of_day / 3600),
                int(seconds_of_day / 60 % 60), int(seconds_of_day % 60));
  line += text;
}

}  // namespace

void generate_dossiers(const GeneratorOptions& options, std::ostream& output) {
  assert(!options.unit_codes.empty() && !options.procedures.empty() && options.first_day <= options.last_day);
  Random random(options.seed);
  std::vector<int> online_share;  // per unit, percent of dossiers filed online
  for (std::size_t index = 0; index < options.unit_codes.size(); ++index) {
    online_share.push_back(35 + int(random.below(56)));
  }
  const std::uint64_t submitters_per_unit =
      std::max<std::uint64_t>(10, options.rows / options.unit_codes.size() * 2 / 3);
  const std::uint64_t days = std::uint64_t(options.last_day - options.first_day + 1);
  std::string buffer;
  buffer.reserve(1 << 20);
  buffer += "MaHoSo,MaTTHC,MaDonVi,KenhThucHien,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,NgayTra,TrangThaiHoSo,"
            "SoLanBoSung,DuocThanhToanTrucTuyen,CoNghiaVuTaiChinh,HoSoCoThanhPhanSoHoa,CoKetQuaDienTu,"
            "TaiKhoanDuocXacThucVoiVNeID,MaNguoiNop\n";
  char number[32];
  for (std::size_t row = 0; row < options.rows; ++row) {
    const std::size_t unit = random.below(options.unit_codes.size());
    const auto& procedure = options.procedures[random.below(options.procedures.size())];
    const int online_percent = std::min(98, online_share[unit] + (procedure.full_online ? 8 : -10));
    const int channel = random.chance(std::uint64_t(online_percent)) ? 2 : (random.chance(90) ? 1 : 3);
    const DayNumber day = options.first_day + DayNumber(random.below(days));
    const std::int64_t received = start_of_local_day(day) + 7 * 3600 + 1800 + std::int64_t(random.below(9 * 3600));
    const bool has_due = !random.chance(5);
    const std::int64_t due = start_of_local_day(day + 1 + DayNumber(random.below(15))) + 17 * 3600;
    const bool finished = !random.chance(8);
    const int supplements = random.chance(85) ? 0 : (random.chance(66) ? 1 : 2);
    // Most are finished before the due date; some run late by up to five days.
    const std::int64_t finish_at = random.chance(88)
                                       ? received + std::int64_t(random.below(std::uint64_t(due - received)))
                                       : due + 3600 + std::int64_t(random.below(5 * 86400));
    const bool fees = random.chance(40);
    const int payment = fees && channel == 2 && random.chance(70) ? 1 + int(random.below(2)) : 0;

    std::snprintf(number, sizeof number, "%09zu", row + 1);
    buffer += options.code_prefix;
    buffer += number;
    buffer += ',';
    buffer += procedure.code;
    buffer += ',';
    buffer += options.unit_codes[unit];
    buffer += ',';
    buffer += char('0' + channel);
    buffer += ',';
    append_instant(buffer, received);
    buffer += ',';
    if (has_due) append_instant(buffer, due);
    buffer += ',';
    if (finished) append_instant(buffer, finish_at);
    buffer += ',';
    if (finished) append_instant(buffer, finish_at + 3600 * std::int64_t(random.below(48)));
    buffer += ',';
    buffer += finished ? "10" : (random.chance(50) ? "2" : "4");
    buffer += ',';
    buffer += char('0' + supplements);
    buffer += ',';
    buffer += char('0' + payment);
    buffer += ',';
    buffer += fees ? '1' : '0';
    buffer += ',';
    buffer += random.chance(70) ? '1' : '0';
    buffer += ',';
    buffer += finished && random.chance(60) ? '1' : '0';
    buffer += ',';
    buffer += channel == 2 && random.chance(70) ? '1' : '0';
    buffer += ',';
    std::snprintf(number, sizeof number, "ND%04zu%07llu", unit,
                  static_cast<unsigned long long>(random.below(submitters_per_unit)));
    buffer += number;
    buffer += '\n';
    if (buffer.size() > (1 << 20) - 512) {
      output.write(buffer.data(), std::streamsize(buffer.size()));
      buffer.clear();
    }
  }
  output.write(buffer.data(), std::streamsize(buffer.size()));
}

}  // namespace dvchub::kpi
