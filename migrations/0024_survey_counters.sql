-- Survey statistics from counters (docs/feedback.md, Satisfaction surveys): one row per Vietnam day of receipt,
-- unit (0 = none), field ('' = none), question (overall or a SIPAS dimension) and rating holds how many responses
-- gave that rating. SurveyService::respond adds to them in the response's transaction, so statistics over any
-- period read a few hundred rows, not every response.
CREATE TABLE survey_counters (
  day TEXT NOT NULL,
  unit_id BIGINT NOT NULL,
  field TEXT NOT NULL,
  question TEXT NOT NULL,
  rating INTEGER NOT NULL,
  responses BIGINT NOT NULL,
  PRIMARY KEY (day, unit_id, field, question, rating)
);
-- The responses stored before the counters existed.
-- dialect: sqlite
INSERT INTO survey_counters (day, unit_id, field, question, rating, responses)
SELECT day, unit_id, field, question, rating, COUNT(*) FROM (
  SELECT date(received_at + 25200, 'unixepoch') AS day, COALESCE(unit_id, 0) AS unit_id, COALESCE(field, '') AS field,
         'overall' AS question, overall AS rating FROM survey_responses
  UNION ALL SELECT date(received_at + 25200, 'unixepoch'), COALESCE(unit_id, 0), COALESCE(field, ''), 'access', access
    FROM survey_responses WHERE access IS NOT NULL
  UNION ALL SELECT date(received_at + 25200, 'unixepoch'), COALESCE(unit_id, 0), COALESCE(field, ''), 'procedure',
         procedure_rating FROM survey_responses WHERE procedure_rating IS NOT NULL
  UNION ALL SELECT date(received_at + 25200, 'unixepoch'), COALESCE(unit_id, 0), COALESCE(field, ''), 'officials',
         officials FROM survey_responses WHERE officials IS NOT NULL
  UNION ALL SELECT date(received_at + 25200, 'unixepoch'), COALESCE(unit_id, 0), COALESCE(field, ''), 'result', result
    FROM survey_responses WHERE result IS NOT NULL
  UNION ALL SELECT date(received_at + 25200, 'unixepoch'), COALESCE(unit_id, 0), COALESCE(field, ''),
         'feedback_handling', feedback_handling FROM survey_responses WHERE feedback_handling IS NOT NULL
) answers GROUP BY day, unit_id, field, question, rating;
-- dialect: postgresql
INSERT INTO survey_counters (day, unit_id, field, question, rating, responses)
SELECT day, unit_id, field, question, rating, COUNT(*) FROM (
  SELECT to_char(to_timestamp(received_at + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
         COALESCE(unit_id, 0) AS unit_id, COALESCE(field, '') AS field, 'overall' AS question, overall AS rating
    FROM survey_responses
  UNION ALL SELECT to_char(to_timestamp(received_at + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COALESCE(unit_id, 0),
         COALESCE(field, ''), 'access', access FROM survey_responses WHERE access IS NOT NULL
  UNION ALL SELECT to_char(to_timestamp(received_at + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COALESCE(unit_id, 0),
         COALESCE(field, ''), 'procedure', procedure_rating FROM survey_responses WHERE procedure_rating IS NOT NULL
  UNION ALL SELECT to_char(to_timestamp(received_at + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COALESCE(unit_id, 0),
         COALESCE(field, ''), 'officials', officials FROM survey_responses WHERE officials IS NOT NULL
  UNION ALL SELECT to_char(to_timestamp(received_at + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COALESCE(unit_id, 0),
         COALESCE(field, ''), 'result', result FROM survey_responses WHERE result IS NOT NULL
  UNION ALL SELECT to_char(to_timestamp(received_at + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COALESCE(unit_id, 0),
         COALESCE(field, ''), 'feedback_handling', feedback_handling FROM survey_responses
    WHERE feedback_handling IS NOT NULL
) answers GROUP BY day, unit_id, field, question, rating;
