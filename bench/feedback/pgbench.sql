-- bench/feedback/pgbench.sql — what dvchub writes for one submission, as pgbench does it: one transaction with the
-- item, its "received" event and its audit record (tables made by run.sh with dvchub's own migration).
\set n random(1, 2000000000)
BEGIN;
INSERT INTO feedback_items (tracking_code, kind, subject, title, body, consent_publish, status, received_at, due_at,
  search_text, updated_at)
VALUES ('PG' || :client_id || '-' || :n || '-' || random(), 'complaint', 'technical',
  'Trang nộp hồ sơ báo lỗi khi tải tệp đính kèm dung lượng lớn',
  'Trang nộp hồ sơ báo lỗi khi tải tệp đính kèm dung lượng lớn. Lần gửi thử.', 1, 'received',
  extract(epoch from now())::bigint, extract(epoch from now())::bigint + 172800,
  'trang nop ho so bao loi khi tai tep dinh kem dung luong lon lan gui thu', extract(epoch from now())::bigint)
RETURNING id \gset item_
INSERT INTO feedback_events (item_id, occurred_at, step, is_public, note, actor)
VALUES (:item_id, extract(epoch from now())::bigint, 'received', 1, '', 'citizen');
INSERT INTO audit_log (occurred_at, actor, action, entity_type, entity_key, after_state)
VALUES (extract(epoch from now())::bigint, 'citizen', 'feedback.submit', 'feedback', :item_id,
  '{"tracking_code":"x","kind":"complaint","subject":"technical","unit":""}');
COMMIT;
