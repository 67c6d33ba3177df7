-- KPI counters, second version (docs/kpi.md, "Storage design").
-- SQLite: the counter tables become WITHOUT ROWID tables, so a counter row lives in its primary-key B-tree only
-- (one insert per row instead of a table row and an index entry: an import writes about as many daily counter
-- rows as dossiers). PostgreSQL keeps its heap tables. Both: the monthly counters go (periods are summed from the
-- daily counters kept in memory), and kpi_revision, which every change of the counters bumps in the same
-- transaction, tells a process that keeps them in memory when to read them again. And the operator's scoring
-- curves for the 766 estimate.

-- dialect: sqlite
CREATE TABLE kpi_daily_counts_v2 (
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
) WITHOUT ROWID;
INSERT INTO kpi_daily_counts_v2 SELECT * FROM kpi_daily_counts;
DROP TABLE kpi_daily_counts;
ALTER TABLE kpi_daily_counts_v2 RENAME TO kpi_daily_counts;
CREATE TABLE kpi_open_counts_v2 (
  unit_id BIGINT NOT NULL,
  received_day INTEGER NOT NULL,
  due_day INTEGER NOT NULL,
  dossiers BIGINT NOT NULL,
  PRIMARY KEY (unit_id, received_day, due_day)
) WITHOUT ROWID;
INSERT INTO kpi_open_counts_v2 SELECT * FROM kpi_open_counts;
DROP TABLE kpi_open_counts;
ALTER TABLE kpi_open_counts_v2 RENAME TO kpi_open_counts;
-- dialect: all

-- Monthly counters are no longer read: a process sums any period from the daily ones it keeps in memory.
DROP TABLE kpi_monthly_counts;

-- One row: the number of committed changes of the dossiers and their counters.
CREATE TABLE kpi_revision (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  revision BIGINT NOT NULL
);
INSERT INTO kpi_revision (singleton, revision) VALUES (1, 0);

-- Scoring curves of the 766 estimate set by the operator (docs/kpi.md): a row replaces the default curve of its
-- component (kpi::default_index766_curves()): points = max_points × min(1, ratio / full_at).
CREATE TABLE kpi_index766_curves (
  component TEXT PRIMARY KEY,
  max_points DOUBLE PRECISION NOT NULL CHECK (max_points >= 0),
  full_at DOUBLE PRECISION NOT NULL CHECK (full_at > 0 AND full_at <= 1)
);
