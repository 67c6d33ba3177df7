-- Answer templates (mẫu trả lời) for recurring questions: coordinators keep them, officers start a draft from one.
CREATE TABLE feedback_answer_templates (
  id {{id_column}},
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  retired INTEGER NOT NULL DEFAULT 0,
  updated_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
