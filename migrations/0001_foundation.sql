-- Foundation: units (dated, re-parentable), staff accounts, sessions, login throttling, the audit log.
-- Placeholders and dialect blocks are resolved by storage/dialect.cpp (see storage/migrations.h).
-- Dates are ISO "YYYY-MM-DD" text; validity is the half-open range [valid_from, valid_to), valid_to NULL = open.
-- Instants are Unix seconds (UTC).

CREATE TABLE units (
  id {{id_column}},
  code TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('province', 'district', 'commune', 'ward', 'town', 'department', 'centre', 'other')),
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);

-- A unit's name and parent over time: one row per period; exactly one row covers any day the unit is valid.
CREATE TABLE unit_versions (
  id {{id_column}},
  unit_id BIGINT NOT NULL REFERENCES units (id),
  name TEXT NOT NULL,
  parent_id BIGINT REFERENCES units (id),
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX unit_versions_by_unit ON unit_versions (unit_id, valid_from);
CREATE INDEX unit_versions_by_parent ON unit_versions (parent_id);

-- Merges, splits and dissolutions: which units carry on the work of which, from which day.
CREATE TABLE unit_successions (
  predecessor_id BIGINT NOT NULL REFERENCES units (id),
  successor_id BIGINT NOT NULL REFERENCES units (id),
  effective_date TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('merge', 'split', 'dissolve')),
  PRIMARY KEY (predecessor_id, successor_id)
);
CREATE INDEX unit_successions_by_successor ON unit_successions (successor_id);

CREATE TABLE users (
  id {{id_column}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'officer', 'viewer')),
  unit_id BIGINT REFERENCES units (id),
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL
);

-- Server-side sessions: the cookie holds a random token; only its hash is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  remote_address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed sign-ins per account ("account:NAME") and per address ("address:IP"), shared by every server process.
CREATE TABLE login_throttles (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_started_at BIGINT NOT NULL,
  locked_until BIGINT NOT NULL DEFAULT 0
);

-- Every state change: who, when, what, before and after (JSON). Append-only: triggers refuse UPDATE and DELETE.
CREATE TABLE audit_log (
  id {{id_column}},
  occurred_at BIGINT NOT NULL,
  actor_user_id BIGINT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  before_state TEXT,
  after_state TEXT,
  request_id TEXT NOT NULL DEFAULT '',
  remote_address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_time ON audit_log (occurred_at);
CREATE INDEX audit_log_by_entity ON audit_log (entity_type, entity_key);

-- dialect: sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- dialect: postgresql
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
-- dialect: all
