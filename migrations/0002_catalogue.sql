-- The procedure catalogue (TTHC), shared by the assistant (procedure cards) and the KPI module.
CREATE TABLE procedures (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  field TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL DEFAULT '',
  full_online_eligible INTEGER NOT NULL DEFAULT 0,
  online_level INTEGER NOT NULL DEFAULT 0 CHECK (online_level IN (0, 1, 2)),
  has_fees INTEGER NOT NULL DEFAULT 0,
  time_limit DOUBLE PRECISION,
  time_unit TEXT NOT NULL DEFAULT '',
  fee TEXT NOT NULL DEFAULT '',
  documents TEXT NOT NULL DEFAULT '',
  agency TEXT NOT NULL DEFAULT '',
  submit_url TEXT NOT NULL DEFAULT '',
  topic TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);
CREATE INDEX procedures_by_field ON procedures (field, code);
CREATE INDEX procedures_by_topic ON procedures (topic);
