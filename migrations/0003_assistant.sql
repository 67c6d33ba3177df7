-- The assistant's knowledge (articles; procedures live in the catalogue) and its review queue.
CREATE TABLE assistant_articles (
  id {{id_column}},
  topic TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  body_markdown TEXT NOT NULL,
  questions TEXT NOT NULL,        -- JSON array of phrasings
  keywords TEXT NOT NULL,         -- JSON array
  links TEXT NOT NULL,            -- JSON array of {title, url}
  reviewed TEXT NOT NULL DEFAULT '',
  sample INTEGER NOT NULL DEFAULT 0,
  owner_unit_code TEXT,
  status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'retired')),
  updated_at BIGINT NOT NULL
);

-- Questions to review: those the assistant could not answer and answers voted down. The question text is stored
-- with personal numbers masked.
CREATE TABLE assistant_reviews (
  id {{id_column}},
  created_at BIGINT NOT NULL,
  question TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('unanswered', 'voted_down')),
  decision TEXT NOT NULL,
  answered_topic TEXT,
  comment TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'added_phrasing', 'new_article', 'dismissed')),
  resolved_topic TEXT,
  resolved_at BIGINT,
  resolved_by TEXT
);
CREATE INDEX assistant_reviews_by_status ON assistant_reviews (status, created_at);

-- Votes on answers (👍/👎), counted per topic.
CREATE TABLE assistant_votes (
  id {{id_column}},
  created_at BIGINT NOT NULL,
  topic TEXT NOT NULL,
  helpful INTEGER NOT NULL
);
CREATE INDEX assistant_votes_by_topic ON assistant_votes (topic);
