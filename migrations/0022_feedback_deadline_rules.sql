-- Working-day deadlines per feedback kind and subject, set by administrators ('' = any kind / any subject).
CREATE TABLE feedback_deadline_rules (
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  classify_days INTEGER NOT NULL,
  answer_days INTEGER NOT NULL,
  publish_days INTEGER NOT NULL,
  extension_days INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (kind, subject)
);
