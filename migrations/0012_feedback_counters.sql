-- Live feedback statistics from counters (docs/feedback.md, Statistics): one row per unit and day of receipt holds
-- what the items received that day at that unit contribute now. Every write that changes an item moves its
-- contribution in the same transaction, so statistics over any period read a few hundred rows, not every item.
-- unit_id 0 = items without a unit yet.
ALTER TABLE feedback_items ADD COLUMN answer_working_days DOUBLE PRECISION;  -- receipt → approval, set at approval
-- The deadline the item was escalated for; equal to due_at while the item is overdue (open and escalated).
ALTER TABLE feedback_items ADD COLUMN escalated_due_at BIGINT;
-- The public list, newest first, without sorting (with status and consent first so planners prefer it).
CREATE INDEX feedback_items_public ON feedback_items (status, consent_publish, published_at);

CREATE TABLE feedback_counters (
  unit_id BIGINT NOT NULL,
  day TEXT NOT NULL,                  -- Vietnam date of receipt, YYYY-MM-DD
  received BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  answered BIGINT NOT NULL DEFAULT 0,
  answered_on_time BIGINT NOT NULL DEFAULT 0,
  published BIGINT NOT NULL DEFAULT 0,
  overdue BIGINT NOT NULL DEFAULT 0,  -- open and escalated past their current deadline (the escalation task)
  listed BIGINT NOT NULL DEFAULT 0,  -- published, agreed to publication and not hidden: on the public list
  answer_days_sum DOUBLE PRECISION NOT NULL DEFAULT 0,
  answer_days_count BIGINT NOT NULL DEFAULT 0,
  ratings BIGINT NOT NULL DEFAULT 0,
  satisfied BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, unit_id)
);

-- Items stored before this migration (their answer times are unknown: not counted in the average; the escalation
-- task escalates their overdue ones once more, which counts them).
-- dialect: sqlite
INSERT INTO feedback_counters (unit_id, day, received, rejected, answered, answered_on_time, published, listed, ratings,
  satisfied)
SELECT COALESCE(i.unit_id, 0), strftime('%Y-%m-%d', i.received_at + 25200, 'unixepoch'), COUNT(*),
       SUM(CASE WHEN i.status = 'rejected' THEN 1 ELSE 0 END), SUM(CASE WHEN i.answered_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.answered_at IS NOT NULL AND i.answered_on_time = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.published_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.status = 'published' AND i.consent_publish = 1 AND i.hidden_reason IS NULL THEN 1 ELSE 0 END),
       SUM((SELECT COUNT(*) FROM feedback_ratings r WHERE r.item_id = i.id)),
       SUM((SELECT COALESCE(SUM(r.satisfied), 0) FROM feedback_ratings r WHERE r.item_id = i.id))
FROM feedback_items i GROUP BY 1, 2;
-- dialect: postgresql
INSERT INTO feedback_counters (unit_id, day, received, rejected, answered, answered_on_time, published, listed, ratings,
  satisfied)
SELECT COALESCE(i.unit_id, 0), to_char(to_timestamp(i.received_at + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COUNT(*),
       SUM(CASE WHEN i.status = 'rejected' THEN 1 ELSE 0 END), SUM(CASE WHEN i.answered_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.answered_at IS NOT NULL AND i.answered_on_time = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.published_at IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN i.status = 'published' AND i.consent_publish = 1 AND i.hidden_reason IS NULL THEN 1 ELSE 0 END),
       SUM((SELECT COUNT(*) FROM feedback_ratings r WHERE r.item_id = i.id)),
       SUM((SELECT COALESCE(SUM(r.satisfied), 0) FROM feedback_ratings r WHERE r.item_id = i.id))
FROM feedback_items i GROUP BY 1, 2;
-- dialect: all
