-- Notifications (docs/notifications.md): the outbox of e-mails to send and each staff account's in-app list.
-- Both are written in the same transaction as the event that causes them (an escalation, a reminder), so nothing is
-- lost when the process dies; a periodic task sends the outbox through the SMTP relay and retries with backoff.

-- One e-mail to one address. dedup_key is unique: the same notice to the same account is never queued twice.
CREATE TABLE notification_outbox (
  id {{id_column}},
  dedup_key TEXT NOT NULL UNIQUE,          -- "<notice key>/user:<id>"
  channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
  user_id BIGINT REFERENCES users (id),
  recipient TEXT NOT NULL,                 -- the address, copied at enqueue time
  subject TEXT NOT NULL,
  body TEXT NOT NULL,                      -- plain text; the link below is appended as an absolute address
  link TEXT NOT NULL DEFAULT '',           -- a path of the site ("/quan-tri/phan-anh/12") or ""
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,         -- pending: not before this instant (backoff, or a sender's claim)
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX notification_outbox_due ON notification_outbox (status, next_attempt_at);

-- A staff account's in-app notifications. (user_id, notice_key) is unique: one entry per notice and account.
CREATE TABLE notifications (
  id {{id_column}},
  user_id BIGINT NOT NULL REFERENCES users (id),
  notice_key TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  read_at BIGINT,
  UNIQUE (user_id, notice_key)
);
CREATE INDEX notifications_by_user ON notifications (user_id, read_at, id);

-- The deadline a feedback item was reminded for (one working day before it), like escalated_due_at.
ALTER TABLE feedback_items ADD COLUMN reminded_due_at BIGINT;
