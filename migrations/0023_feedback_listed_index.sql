-- The public list of answers, newest first: only the listed items (published, consented, not hidden), with the id as
-- tie-breaker, so a page's ids come from this index alone however deep the page (FeedbackService::published).
CREATE INDEX feedback_items_listed ON feedback_items (published_at DESC, id DESC)
  WHERE status = 'published' AND consent_publish = 1 AND hidden_reason IS NULL;
CREATE INDEX feedback_items_listed_by_unit ON feedback_items (unit_id, published_at DESC, id DESC)
  WHERE status = 'published' AND consent_publish = 1 AND hidden_reason IS NULL;
