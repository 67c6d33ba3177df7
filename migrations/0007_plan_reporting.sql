-- Plan reporting (docs/plan.md): what units did against a plan's tasks (activities), the measures they report per
-- year, and the reports the lead office collects each period and compiles. Days are ISO text; instants Unix seconds.

-- One activity of one unit for one task: a news article, a conference, a contest …
CREATE TABLE plan_activities (
  id {{id_column}},
  task_id BIGINT NOT NULL REFERENCES plan_tasks (id),
  unit_id BIGINT NOT NULL REFERENCES units (id),
  kind TEXT NOT NULL CHECK (kind IN ('news_article', 'radio_broadcast', 'social_media_post', 'video', 'infographic',
                                     'banner_poster', 'conference_training', 'contest', 'door_to_door_support',
                                     'sms_campaign', 'other')),
  title TEXT NOT NULL,
  occurred_on TEXT NOT NULL,
  place TEXT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),        -- articles, broadcasts, sessions, messages …
  audience BIGINT NOT NULL CHECK (audience >= 0),       -- viewers and listeners reached
  officials BIGINT NOT NULL CHECK (officials >= 0),     -- participants by group
  team_members BIGINT NOT NULL CHECK (team_members >= 0),
  students BIGINT NOT NULL CHECK (students >= 0),
  citizens BIGINT NOT NULL CHECK (citizens >= 0),
  cost_vnd BIGINT NOT NULL CHECK (cost_vnd >= 0),
  funding_source TEXT NOT NULL CHECK (funding_source IN ('none', 'state_budget', 'sponsorship', 'other')),
  evidence_links TEXT NOT NULL,                          -- http(s) links, one per line
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX plan_activities_by_unit ON plan_activities (unit_id, occurred_on);
CREATE INDEX plan_activities_by_task ON plan_activities (task_id);

-- A reported measure (a target measured by numbers units report) for one unit and one year.
CREATE TABLE plan_measures (
  target_id BIGINT NOT NULL REFERENCES plan_targets (id),
  unit_id BIGINT NOT NULL REFERENCES units (id),
  measure_year INTEGER NOT NULL,
  numerator BIGINT NOT NULL CHECK (numerator >= 0),
  denominator BIGINT NOT NULL CHECK (denominator >= numerator),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (target_id, unit_id, measure_year)
);

-- A reporting period of a plan: yearly (due on the plan's yearly day) or ad hoc.
CREATE TABLE plan_report_periods (
  id {{id_column}},
  plan_id BIGINT NOT NULL REFERENCES plans (id),
  kind TEXT NOT NULL CHECK (kind IN ('yearly', 'ad_hoc')),
  title TEXT NOT NULL,
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  due_on TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (plan_id, title)
);

-- One unit's report for a period: texts it writes, figures pre-filled from its activities, measures and KPIs.
CREATE TABLE plan_reports (
  id {{id_column}},
  period_id BIGINT NOT NULL REFERENCES plan_report_periods (id),
  unit_id BIGINT NOT NULL REFERENCES units (id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
  results TEXT NOT NULL,
  difficulties TEXT NOT NULL,
  proposals TEXT NOT NULL,
  figures_at BIGINT NOT NULL,          -- when the figures below were taken
  submitted_at BIGINT,
  submitted_late INTEGER,              -- 1 when submitted after the due day (Vietnam time)
  reviewed_at BIGINT,
  review_comment TEXT,
  updated_at BIGINT NOT NULL,
  UNIQUE (period_id, unit_id)
);

-- The report's figures per task: what the unit's activities in the period add up to.
CREATE TABLE plan_report_tasks (
  report_id BIGINT NOT NULL REFERENCES plan_reports (id),
  task_id BIGINT NOT NULL REFERENCES plan_tasks (id),
  activities BIGINT NOT NULL,
  participants BIGINT NOT NULL,
  audience BIGINT NOT NULL,
  cost_vnd BIGINT NOT NULL,
  summary TEXT NOT NULL,               -- "2 tin, bài; 1 hội nghị, tập huấn"
  PRIMARY KEY (report_id, task_id)
);

-- The report's measured values: a reported measure of a target, or a KPI indicator of the unit over the period.
CREATE TABLE plan_report_values (
  report_id BIGINT NOT NULL REFERENCES plan_reports (id),
  value_key TEXT NOT NULL,             -- "target:<target id>" or "indicator:<kpi key>"
  numerator BIGINT NOT NULL,
  denominator BIGINT NOT NULL,
  PRIMARY KEY (report_id, value_key)
);

-- Files attached to an activity as evidence (PDF, PNG, JPEG as detected from their bytes), kept in the store as hex
-- text (outside any web root, in every backup, shared by every process) and served only as downloads.
CREATE TABLE plan_activity_files (
  id {{id_column}},
  activity_id BIGINT NOT NULL REFERENCES plan_activities (id),
  file_name TEXT NOT NULL,                             -- as uploaded, cleaned, for display
  media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
  size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
  content_hex TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX plan_activity_files_by_activity ON plan_activity_files (activity_id);

-- Notices of the reporting cycle: a reminder to a unit that has not submitted in the days before the due day, and an
-- escalation to the lead office after it; each once per period, unit and kind. The status board shows them (there is
-- no outgoing notification channel yet).
CREATE TABLE plan_report_notices (
  period_id BIGINT NOT NULL REFERENCES plan_report_periods (id),
  unit_id BIGINT NOT NULL REFERENCES units (id),
  kind TEXT NOT NULL CHECK (kind IN ('reminder', 'escalation')),
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (period_id, unit_id, kind)
);
