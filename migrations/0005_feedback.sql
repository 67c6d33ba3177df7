-- Working-day calendar and the feedback module (phản ánh, kiến nghị). Design: docs/feedback.md.
-- Days are ISO text "YYYY-MM-DD"; instants are Unix seconds.

-- Exceptions to "Monday to Friday are working days": a weekday off (holiday) or a weekend day worked (working,
-- the "làm bù" days of a yearly decision). Computed rows come from calendar/holidays.cpp; admins add the rest.
CREATE TABLE calendar_days (
  day TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'working')),
  name TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('computed', 'admin'))
);
-- Years whose statutory holidays were computed once; an admin's later deletion is never undone by re-seeding.
CREATE TABLE calendar_seeded_years (
  year INTEGER PRIMARY KEY
);

CREATE TABLE feedback_items (
  id {{id_column}},
  tracking_code TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                 -- question, complaint, suggestion, report
  subject TEXT NOT NULL,              -- procedure, conduct, technical, other
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  unit_id BIGINT REFERENCES units (id),  -- named by the citizen, then the unit that handles it
  procedure_code TEXT,
  dossier_code TEXT,
  contact_name TEXT,                  -- never shown publicly
  contact_phone TEXT,
  contact_email TEXT,
  consent_publish INTEGER NOT NULL,
  status TEXT NOT NULL,               -- received, classified, rejected, assigned, drafted, approved, published
  received_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,             -- deadline of the current step
  answer_due_at BIGINT,               -- deadline of the answer, set at classification
  answer TEXT,
  answered_at BIGINT,                 -- when the answer was approved
  answered_on_time INTEGER,           -- frozen at approval: answered_at <= answer_due_at
  published_at BIGINT,
  rejection_reason TEXT,
  search_text TEXT NOT NULL,          -- folded (text::fold) masked title, body and answer, for the public search
  updated_at BIGINT NOT NULL
);
CREATE INDEX feedback_items_queue ON feedback_items (status, unit_id, due_at);
CREATE INDEX feedback_items_published ON feedback_items (published_at);

-- The history of an item. Public events are shown on the tracking page; the others only to staff.
CREATE TABLE feedback_events (
  id {{id_column}},
  item_id BIGINT NOT NULL REFERENCES feedback_items (id),
  occurred_at BIGINT NOT NULL,
  step TEXT NOT NULL,
  is_public INTEGER NOT NULL,
  note TEXT,
  actor TEXT NOT NULL
);
CREATE INDEX feedback_events_item ON feedback_events (item_id, id);

CREATE TABLE feedback_ratings (
  id {{id_column}},
  item_id BIGINT NOT NULL REFERENCES feedback_items (id),
  satisfied INTEGER NOT NULL,
  comment TEXT,
  rated_at BIGINT NOT NULL
);
CREATE INDEX feedback_ratings_item ON feedback_ratings (item_id);
