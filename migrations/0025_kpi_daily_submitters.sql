-- Distinct online submitters (adult_usage_rate) from a small table instead of an index over every online dossier
-- (docs/kpi.md, "Storage design"): per unit and received day, the MaNguoiNop of its online dossiers, each followed by
-- a line feed, in no particular order and repeated when a submitter filed several (a multiset, so a replaced or
-- re-imported dossier takes exactly its own entry away). An import fills it from rows it has parsed anyway, one row
-- per (unit, day), instead of sorting millions of index entries at its end; MaNguoiNop cannot hold a control
-- character (the import rejects one).

-- dialect: sqlite
CREATE TABLE kpi_daily_submitters (
  unit_id BIGINT NOT NULL,
  day INTEGER NOT NULL,
  submitters TEXT NOT NULL,
  PRIMARY KEY (unit_id, day)
) WITHOUT ROWID;
INSERT INTO kpi_daily_submitters (unit_id, day, submitters)
SELECT unit_id, received_day, group_concat(submitter || char(10), '') FROM kpi_dossiers
WHERE channel = 2 AND submitter IS NOT NULL GROUP BY unit_id, received_day;
-- dialect: postgresql
CREATE TABLE kpi_daily_submitters (
  unit_id BIGINT NOT NULL,
  day INTEGER NOT NULL,
  submitters TEXT NOT NULL,
  PRIMARY KEY (unit_id, day)
);
INSERT INTO kpi_daily_submitters (unit_id, day, submitters)
SELECT unit_id, received_day, string_agg(submitter || chr(10), '') FROM kpi_dossiers
WHERE channel = 2 AND submitter IS NOT NULL GROUP BY unit_id, received_day;
-- dialect: all

DROP INDEX kpi_dossiers_online_submitters;
