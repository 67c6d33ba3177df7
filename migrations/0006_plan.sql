-- Plan module: implementation plans as data (docs/plan.md). A plan names its issuing unit and the plan it
-- implements (plans form a tree), sets targets (each measured by a KPI indicator or by a measure units report) and
-- tasks grouped under headings; section VI of a plan assigns each task to units with a role, and each assigned unit
-- keeps its own status for the task. Units are referenced as of the plan's date; dates are ISO text.

CREATE TABLE plans (
  id {{id_column}},
  number TEXT NOT NULL,                         -- number and symbol: "51/KH-UBND"
  issued_on TEXT NOT NULL,                      -- ISO date
  issuing_unit_id BIGINT NOT NULL REFERENCES units (id),
  lead_unit_id BIGINT REFERENCES units (id),    -- the office that follows the plan and compiles its reports
  title TEXT NOT NULL,
  basis TEXT NOT NULL,                          -- what it implements, as written ("Quyết định số 1588/QĐ-TTg …")
  parent_id BIGINT REFERENCES plans (id),       -- the plan it implements, when stored
  target_year INTEGER NOT NULL,                 -- "đến năm 2025"
  horizon_year INTEGER,                         -- "định hướng đến năm 2030"
  status TEXT NOT NULL CHECK (status IN ('draft', 'in_force', 'ended')),
  report_due TEXT,                              -- yearly report due, "MM-DD" ("12-08" = 08/12 each year)
  created_at BIGINT NOT NULL,
  UNIQUE (issuing_unit_id, number)
);

CREATE TABLE plan_targets (
  id {{id_column}},
  plan_id BIGINT NOT NULL REFERENCES plans (id),
  ordinal INTEGER NOT NULL,                     -- order in the plan's text
  section TEXT NOT NULL,                        -- "II.2.a"
  target_key TEXT NOT NULL,
  target_year INTEGER NOT NULL,
  description TEXT NOT NULL,
  minimum DOUBLE PRECISION NOT NULL CHECK (minimum > 0 AND minimum <= 1),  -- a share: at least this much
  indicator TEXT,                               -- a KPI indicator key, or NULL for a reported measure
  numerator_label TEXT,                         -- reported measure: what units count above the line …
  denominator_label TEXT,                       -- … and below it
  CHECK ((indicator IS NULL AND numerator_label IS NOT NULL AND denominator_label IS NOT NULL)
         OR (indicator IS NOT NULL AND numerator_label IS NULL AND denominator_label IS NULL)),
  UNIQUE (plan_id, target_key, target_year)
);

-- The numbered headings of the tasks' section ("IV.1" … "IV.6").
CREATE TABLE plan_task_groups (
  id {{id_column}},
  plan_id BIGINT NOT NULL REFERENCES plans (id),
  code TEXT NOT NULL,
  title TEXT NOT NULL,
  UNIQUE (plan_id, code)
);

CREATE TABLE plan_tasks (
  id {{id_column}},
  group_id BIGINT NOT NULL REFERENCES plan_task_groups (id),
  ordinal INTEGER NOT NULL,
  section_code TEXT NOT NULL,                   -- "IV.3.đ" (Vietnamese letters a, b, c, d, đ, e, g, h)
  body TEXT NOT NULL,
  yearly_on TEXT,                               -- a yearly date the text gives, "MM-DD" ("10-10")
  UNIQUE (group_id, section_code)
);

-- Who does a task: one role per unit and task, the section that assigns it, and the unit's own status.
CREATE TABLE plan_assignments (
  task_id BIGINT NOT NULL REFERENCES plan_tasks (id),
  unit_id BIGINT NOT NULL REFERENCES units (id),
  role TEXT NOT NULL CHECK (role IN ('lead', 'coordinating', 'oversight', 'within_scope')),
  basis TEXT NOT NULL,                          -- "VI.1"
  status TEXT NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'done')),
  status_updated_at BIGINT,
  PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX plan_assignments_by_unit ON plan_assignments (unit_id);
