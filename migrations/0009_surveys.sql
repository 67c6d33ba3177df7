-- Satisfaction surveys after a service (SIPAS's five dimensions), answered by link or QR code per unit/procedure.
-- Design: docs/feedback.md. Ratings are 1 (rất không hài lòng) … 5 (rất hài lòng); a dimension left unanswered is
-- NULL. Instants are Unix seconds.
CREATE TABLE survey_responses (
  id {{id_column}},
  received_at BIGINT NOT NULL,
  unit_id BIGINT REFERENCES units (id),
  procedure_code TEXT,
  field TEXT,                        -- the procedure's field (lĩnh vực), e.g. "Đất đai"
  dossier_code TEXT,                 -- never shown publicly; at most one response per dossier
  overall INTEGER NOT NULL CHECK (overall BETWEEN 1 AND 5),
  access INTEGER CHECK (access BETWEEN 1 AND 5),
  procedure_rating INTEGER CHECK (procedure_rating BETWEEN 1 AND 5),
  officials INTEGER CHECK (officials BETWEEN 1 AND 5),
  result INTEGER CHECK (result BETWEEN 1 AND 5),
  feedback_handling INTEGER CHECK (feedback_handling BETWEEN 1 AND 5),
  comment TEXT
);
CREATE UNIQUE INDEX survey_responses_dossier ON survey_responses (dossier_code) WHERE dossier_code IS NOT NULL;
CREATE INDEX survey_responses_received ON survey_responses (received_at);
