-- Full-text search over published answers (docs/feedback.md, Search). The words are those of search_text, which
-- is already masked and folded (no marks, lower case), so a plain tokenizer is right for Vietnamese here.
-- dialect: sqlite
-- Its own copy of the text, keyed by item id: rows can be removed without knowing what was indexed.
CREATE VIRTUAL TABLE feedback_search USING fts5(search_text, tokenize = 'unicode61');
INSERT INTO feedback_search (rowid, search_text) SELECT id, search_text FROM feedback_items WHERE status = 'published';
CREATE TRIGGER feedback_search_insert AFTER INSERT ON feedback_items WHEN new.status = 'published'
BEGIN INSERT INTO feedback_search (rowid, search_text) VALUES (new.id, new.search_text); END;
CREATE TRIGGER feedback_search_update AFTER UPDATE OF search_text ON feedback_items
BEGIN
  DELETE FROM feedback_search WHERE rowid = old.id;
  INSERT INTO feedback_search (rowid, search_text) SELECT new.id, new.search_text WHERE new.status = 'published';
END;
CREATE TRIGGER feedback_search_delete AFTER DELETE ON feedback_items
BEGIN DELETE FROM feedback_search WHERE rowid = old.id; END;
-- dialect: postgresql
CREATE INDEX feedback_items_search ON feedback_items USING GIN (to_tsvector('simple', search_text))
  WHERE status = 'published';
-- dialect: all
