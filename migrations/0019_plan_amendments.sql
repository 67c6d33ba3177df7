-- Plan module (docs/plan.md): a unit's note on its status for a task, and amendments of a plan (the plan's closing
-- paragraph: units propose changes, the lead office accepts or rejects them). An accepted amendment changes the plan
-- and makes its next version; the amendment keeps the value before and after, so every version can be shown.

ALTER TABLE plan_assignments ADD COLUMN status_note TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE plan_amendments (
  id {{id_column}},
  plan_id BIGINT NOT NULL REFERENCES plans (id),
  unit_id BIGINT NOT NULL REFERENCES units (id),         -- the unit that proposes it
  field TEXT NOT NULL CHECK (field IN ('task_text', 'task_units', 'task_due', 'target_value')),
  task_id BIGINT REFERENCES plan_tasks (id),             -- task_* fields
  target_id BIGINT REFERENCES plan_targets (id),         -- target_value
  before_value TEXT NOT NULL,                            -- the field when proposed (when decided, once accepted)
  proposed_value TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'rejected')),
  proposed_at BIGINT NOT NULL,
  decision_reason TEXT,
  decided_at BIGINT,
  version INTEGER,                                        -- accepted: the plan version it made
  CHECK ((task_id IS NOT NULL AND target_id IS NULL AND field <> 'target_value')
         OR (task_id IS NULL AND target_id IS NOT NULL AND field = 'target_value')),
  UNIQUE (plan_id, version)
);
CREATE INDEX plan_amendments_by_plan ON plan_amendments (plan_id, status);
