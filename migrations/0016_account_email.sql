-- An optional e-mail address per staff account, where notifications are sent (docs/notifications.md). Set by
-- administrators on /quan-tri/nguoi-dung or with `dvchub user email NAME ADDRESS`; checked by accounts::
-- email_problem (no spaces or line breaks, one @, a domain with a dot, at most 254 bytes).
ALTER TABLE users ADD COLUMN email TEXT;
