-- The public list of answers, newest first. Only listed items (published, consented, not hidden) are in these
-- indexes, so a submission writes no entry to them; their equalities lead (so planners pick them without
-- statistics), then the order with the id as tie-breaker, so a page's ids come from the index alone however deep
-- the page (FeedbackService::published). They replace feedback_items_public, which held every item, lacked
-- hidden_reason and the tie-breaker, and made deep pages read every skipped row.
DROP INDEX feedback_items_public;
CREATE INDEX feedback_items_listed ON feedback_items (status, consent_publish, published_at DESC, id DESC)
  WHERE status = 'published' AND consent_publish = 1 AND hidden_reason IS NULL;
CREATE INDEX feedback_items_listed_by_unit ON feedback_items (status, consent_publish, unit_id, published_at DESC, id DESC)
  WHERE status = 'published' AND consent_publish = 1 AND hidden_reason IS NULL;
