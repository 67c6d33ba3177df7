-- The review queue's unanswered questions looked up by their text (KnowledgeStore::queue_unanswered: is this question
-- already waiting?) through an index of the open ones only, instead of a scan of every open review per question
-- asked: the public ask route queues each question it cannot answer, so that scan grew with the queue and cost a
-- fifth of the server's time under a stream of new questions. (How many wait, at most 10,000, is counted through
-- assistant_reviews_by_status.)
CREATE INDEX assistant_reviews_open_unanswered ON assistant_reviews (question)
WHERE reason = 'unanswered' AND status = 'open';
