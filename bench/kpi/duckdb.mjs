// DuckDB side of bench/kpi/run.sh, and the HTTP client for dvchub's side of the query timings.
//   node duckdb.mjs load DB_FILE CSV CATALOGUE_CSV      loads both CSVs into a DuckDB file (timed by run.sh)
//   node duckdb.mjs query DB_FILE UNIT YEAR DVCHUB_URL ROUNDS
//       runs the one-unit-one-year KPI query, the commune ranking (every commune, and its first ten) ROUNDS times in
//       DuckDB and through dvchub's API, interleaved, checks that both give the same counts (the KPI query's, and
//       every commune's in the full ranking) and the same first ten, prints one JSON line of timings (milliseconds).
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, databaseFile, ...rest] = process.argv.slice(2);
const instance = await DuckDBInstance.create(databaseFile);
const connection = await instance.connect();

const timestamp = "TIMESTAMP";
if (mode === 'load') {
  const [csv, catalogue] = rest;
  await connection.run(`CREATE TABLE dossiers AS SELECT * FROM read_csv('${csv}', header = true, columns = {
    'MaHoSo': 'VARCHAR', 'MaTTHC': 'VARCHAR', 'MaDonVi': 'VARCHAR', 'KenhThucHien': 'TINYINT',
    'NgayTiepNhan': '${timestamp}', 'NgayHenTra': '${timestamp}', 'NgayKetThucXuLy': '${timestamp}',
    'NgayTra': '${timestamp}', 'TrangThaiHoSo': 'TINYINT', 'SoLanBoSung': 'SMALLINT',
    'DuocThanhToanTrucTuyen': 'TINYINT', 'CoNghiaVuTaiChinh': 'TINYINT', 'HoSoCoThanhPhanSoHoa': 'TINYINT',
    'CoKetQuaDienTu': 'TINYINT', 'TaiKhoanDuocXacThucVoiVNeID': 'TINYINT', 'MaNguoiNop': 'VARCHAR'})`);
  await connection.run(`CREATE TABLE procedures AS SELECT * FROM read_csv('${catalogue}', header = true)`);
  const count = await connection.runAndReadAll('SELECT count(*) FROM dossiers');
  console.log(JSON.stringify({ rows: Number(count.getRows()[0][0]) }));
  process.exit(0);
}

const [unit, year, dvchubUrl, roundsText] = rest;
const rounds = Number(roundsText);
// Local (UTC+7) year boundaries as UTC timestamps: DuckDB stores the parsed instants in UTC.
const start = `TIMESTAMP '${Number(year) - 1}-12-31 17:00:00'`;
const end = `TIMESTAMP '${year}-12-31 17:00:00'`;
const counts = `count(*) AS received,
  count(*) FILTER (WHERE KenhThucHien = 2) AS online,
  count(*) FILTER (WHERE KenhThucHien = 2 AND p.CungCapTrucTuyen = 2) AS full_online,
  count(*) FILTER (WHERE NgayHenTra IS NOT NULL) AS with_due,
  count(*) FILTER (WHERE NgayHenTra IS NOT NULL AND ((NgayKetThucXuLy IS NOT NULL AND NgayKetThucXuLy <= NgayHenTra
    AND coalesce(SoLanBoSung, 0) <= 1) OR (NgayKetThucXuLy IS NULL AND ${end} <= NgayHenTra))) AS on_time,
  count(*) FILTER (WHERE CoNghiaVuTaiChinh = 1) AS with_fees,
  count(*) FILTER (WHERE CoNghiaVuTaiChinh = 1 AND DuocThanhToanTrucTuyen IN (1, 2)) AS paid_online,
  count(*) FILTER (WHERE HoSoCoThanhPhanSoHoa = 1) AS digitized,
  count(*) FILTER (WHERE NgayKetThucXuLy IS NOT NULL) AS finished,
  count(*) FILTER (WHERE NgayKetThucXuLy IS NOT NULL AND CoKetQuaDienTu = 1) AS electronic_result,
  count(*) FILTER (WHERE KenhThucHien = 2 AND TaiKhoanDuocXacThucVoiVNeID = 1) AS online_vneid,
  count(DISTINCT MaNguoiNop) FILTER (WHERE KenhThucHien = 2) AS online_submitters`;
const kpiSql = `SELECT ${counts} FROM dossiers d LEFT JOIN procedures p ON p.MaTTHC = d.MaTTHC
  WHERE d.MaDonVi = '${unit}' AND d.NgayTiepNhan >= ${start} AND d.NgayTiepNhan < ${end}`;
const rankingSql = `SELECT MaDonVi, count(*) FILTER (WHERE KenhThucHien = 2 AND p.CungCapTrucTuyen = 2) AS numerator,
  count(*) AS denominator FROM dossiers d LEFT JOIN procedures p ON p.MaTTHC = d.MaTTHC
  WHERE d.NgayTiepNhan >= ${start} AND d.NgayTiepNhan < ${end}
  GROUP BY MaDonVi ORDER BY numerator / denominator DESC, MaDonVi`;
// The commendation list: the same ranking computed over every commune, only the first ten returned.
const rankingTopSql = `${rankingSql} LIMIT 10`;

async function timed(work) {
  const begin = process.hrtime.bigint();
  const result = await work();
  return [Number(process.hrtime.bigint() - begin) / 1e6, result];
}
const query = `unit=${unit}&from=${year}-01-01&to=${year}-12-31`;
const agent = async (path) => {
  const response = await fetch(dvchubUrl + path);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};
// Warm both sides once (and check they agree).
const duckRow = (await connection.runAndReadAll(kpiSql)).getRowObjects()[0];
const ours = await agent(`/api/v1/kpi?${query}`);
const pairs = [['online_rate', 'online', 'received'], ['full_online_rate', 'full_online', 'received'],
  ['on_time_rate', 'on_time', 'with_due'], ['online_payment_rate', 'paid_online', 'with_fees'],
  ['digitized_rate', 'digitized', 'received'], ['e_result_rate', 'electronic_result', 'finished'],
  ['vneid_rate', 'online_vneid', 'online']];
const mismatches = [];
for (const [key, numerator, denominator] of pairs) {
  const indicator = ours.indicators[key];
  if (indicator.numerator !== Number(duckRow[numerator]) || indicator.denominator !== Number(duckRow[denominator])) {
    mismatches.push(`${key}: dvchub ${indicator.numerator}/${indicator.denominator}, duckdb ${duckRow[numerator]}/${duckRow[denominator]}`);
  }
}
if (ours.indicators.adult_usage_rate.numerator !== Number(duckRow.online_submitters)) {
  mismatches.push(`online submitters: dvchub ${ours.indicators.adult_usage_rate.numerator}, duckdb ${duckRow.online_submitters}`);
}
const rankingPath = `/api/v1/kpi/ranking?indicator=full_online_rate&kind=commune&from=${year}-01-01&to=${year}-12-31`;
// The full ranking: every commune's numerator and denominator must be DuckDB's (units without a dossier, absent
// from DuckDB's GROUP BY, must have 0 / 0), and the first ten the same communes in the same order.
const duckRanking = (await connection.runAndReadAll(rankingSql)).getRowObjects();
const ourRanking = await agent(rankingPath);
const column = (name) => ourRanking.columns.indexOf(name);
const [codeAt, numeratorAt, denominatorAt] = [column('code'), column('numerator'), column('denominator')];
const duckByCode = new Map(duckRanking.map((row) => [row.MaDonVi, row]));
let rankingDifferences = 0;
for (const entry of ourRanking.units) {
  const row = duckByCode.get(entry[codeAt]);
  const [numerator, denominator] = row ? [Number(row.numerator), Number(row.denominator)] : [0, 0];
  if (entry[numeratorAt] !== numerator || entry[denominatorAt] !== denominator) ++rankingDifferences;
}
if (rankingDifferences > 0 || ourRanking.unit_count !== ourRanking.units.length) {
  mismatches.push(`ranking: ${rankingDifferences} of ${ourRanking.units.length} communes differ from duckdb`);
}
const duckTop = (await connection.runAndReadAll(rankingTopSql)).getRowObjects().map((row) => row.MaDonVi);
const ourTop = (await agent(`${rankingPath}&limit=10`)).units.map((entry) => entry[codeAt]);
if (duckTop.join() !== ourTop.join()) mismatches.push(`top ten: dvchub ${ourTop.join()}, duckdb ${duckTop.join()}`);

const timings = { duckdb_kpi: [], dvchub_kpi: [], duckdb_ranking: [], dvchub_ranking: [], duckdb_ranking_top: [],
  dvchub_ranking_top: [] };
for (let round = 0; round < rounds; ++round) {
  const order = round % 2 === 0 ? ['duckdb', 'dvchub'] : ['dvchub', 'duckdb'];
  for (const side of order) {
    if (side === 'duckdb') {
      timings.duckdb_kpi.push((await timed(() => connection.runAndReadAll(kpiSql)))[0]);
      timings.duckdb_ranking.push((await timed(() => connection.runAndReadAll(rankingSql)))[0]);
      timings.duckdb_ranking_top.push((await timed(() => connection.runAndReadAll(rankingTopSql)))[0]);
    } else {
      timings.dvchub_kpi.push((await timed(() => agent(`/api/v1/kpi?${query}`)))[0]);
      timings.dvchub_ranking.push((await timed(() => agent(rankingPath)))[0]);
      timings.dvchub_ranking_top.push((await timed(() => agent(`${rankingPath}&limit=10`)))[0]);
    }
  }
}
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
};
const summary = {};
for (const [name, values] of Object.entries(timings)) {
  summary[name] = { p50: percentile(values, 50), p99: percentile(values, 99) };
}
console.log(JSON.stringify({ summary, mismatches, received: Number(duckRow.received) }));
