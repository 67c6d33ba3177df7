-- KPI module: dossiers exported by the provincial one-stop system, counters kept on import, adult population.
-- Design (docs/kpi.md): one compact row per dossier keyed by MaHoSo (a re-import replaces it), and additive
-- counters per (unit, received day) and per (unit, received month) maintained in the same transaction, so the
-- one-unit-one-year query reads a few hundred counter rows instead of the dossiers.
-- Days are integers: days since 1970-01-01 in Vietnam time (UTC+7). Instants are Unix seconds.

CREATE TABLE kpi_dossiers (
  dossier_code TEXT PRIMARY KEY,            -- MaHoSo
  unit_id BIGINT NOT NULL REFERENCES units (id),
  procedure_code TEXT NOT NULL,             -- MaTTHC ('' unknown)
  full_online_procedure INTEGER NOT NULL,   -- 1 when the procedure had CungCapTrucTuyen=2 when counted
  channel INTEGER,                          -- KenhThucHien 1 direct, 2 online, 3 postal; NULL unknown
  received_day INTEGER NOT NULL,            -- NgayTiepNhan, local day number
  received_at BIGINT NOT NULL,
  due_at BIGINT,                            -- NgayHenTra
  finished_at BIGINT,                       -- NgayKetThucXuLy
  returned_at BIGINT,                       -- NgayTra
  status INTEGER,                           -- TrangThaiHoSo 1..10
  supplements INTEGER,                      -- SoLanBoSung
  payment INTEGER,                          -- DuocThanhToanTrucTuyen 0, 1, 2
  has_fees INTEGER,                         -- CoNghiaVuTaiChinh
  digitized INTEGER,                        -- HoSoCoThanhPhanSoHoa
  electronic_result INTEGER,                -- CoKetQuaDienTu
  vneid INTEGER,                            -- TaiKhoanDuocXacThucVoiVNeID
  submitter TEXT                            -- MaNguoiNop (pseudonymised)
);
-- Distinct online submitters of a unit in a period (adult_usage_rate) without reading other dossiers.
CREATE INDEX kpi_dossiers_online_submitters ON kpi_dossiers (unit_id, received_day, submitter) WHERE channel = 2;

-- Additive counters of the dossiers received by one unit on one day (and, below, in one month).
CREATE TABLE kpi_daily_counts (
  unit_id BIGINT NOT NULL,
  day INTEGER NOT NULL,
  received BIGINT NOT NULL,
  online BIGINT NOT NULL,
  full_online BIGINT NOT NULL,
  with_due BIGINT NOT NULL,
  finished_on_time BIGINT NOT NULL,
  with_fees BIGINT NOT NULL,
  paid_online BIGINT NOT NULL,
  digitized BIGINT NOT NULL,
  finished BIGINT NOT NULL,
  electronic_result BIGINT NOT NULL,
  online_vneid BIGINT NOT NULL,
  PRIMARY KEY (unit_id, day)
);
-- month = year * 12 + (month - 1)
CREATE TABLE kpi_monthly_counts (
  unit_id BIGINT NOT NULL,
  month INTEGER NOT NULL,
  received BIGINT NOT NULL,
  online BIGINT NOT NULL,
  full_online BIGINT NOT NULL,
  with_due BIGINT NOT NULL,
  finished_on_time BIGINT NOT NULL,
  with_fees BIGINT NOT NULL,
  paid_online BIGINT NOT NULL,
  digitized BIGINT NOT NULL,
  finished BIGINT NOT NULL,
  electronic_result BIGINT NOT NULL,
  online_vneid BIGINT NOT NULL,
  PRIMARY KEY (unit_id, month)
);
-- Unfinished dossiers with a due instant, by the local day of that instant: on time in a period ending on day T
-- exactly when due_day > T (due at or after the end of T).
CREATE TABLE kpi_open_counts (
  unit_id BIGINT NOT NULL,
  received_day INTEGER NOT NULL,
  due_day INTEGER NOT NULL,
  dossiers BIGINT NOT NULL,
  PRIMARY KEY (unit_id, received_day, due_day)
);

-- Adults (DanSoTruongThanh) of a unit in a year, for adult_usage_rate.
CREATE TABLE kpi_population (
  unit_id BIGINT NOT NULL REFERENCES units (id),
  year INTEGER NOT NULL,
  adults BIGINT NOT NULL CHECK (adults >= 0),
  PRIMARY KEY (unit_id, year)
);
