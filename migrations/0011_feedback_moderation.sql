-- Staff tools of the feedback module (docs/feedback.md): one deadline extension per item, moderation (hidden items
-- leave every public view; three abuse reports pending review hide an item automatically).
ALTER TABLE feedback_items ADD COLUMN extended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feedback_items ADD COLUMN hidden_reason TEXT;  -- NULL: visible; otherwise why it is hidden

-- Citizens' reports of abusive or personal content in a published item. `reporter_key` is a digest of the item and
-- the reporter's address, so one address counts once per item and no address is stored. `reviewed` is set when a
-- moderator hides or restores the item.
CREATE TABLE feedback_abuse_reports (
  id {{id_column}},
  item_id BIGINT NOT NULL REFERENCES feedback_items (id),
  reported_at BIGINT NOT NULL,
  reason TEXT NOT NULL,
  reporter_key TEXT NOT NULL,
  reviewed INTEGER NOT NULL DEFAULT 0,
  UNIQUE (item_id, reporter_key)
);
CREATE INDEX feedback_abuse_reports_pending ON feedback_abuse_reports (reviewed, item_id);

-- Keys of the Open311 clients allowed to file requests (POST requests), issued by administrators. Only a digest of
-- each key is kept; the key itself is shown once, when it is issued.
CREATE TABLE open311_api_keys (
  id {{id_column}},
  name TEXT NOT NULL,                -- who uses it: "Cổng Dịch vụ công tỉnh", "Ứng dụng Sóc Trăng Online"
  key_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at BIGINT,
  last_used_at BIGINT
);
