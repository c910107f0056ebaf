-- Cost of each rule form alone on bench_dbq.wide (bench_db --setup makes
-- it), one aggregate per statement, JIT off as db_quality sets it:
--   psql "$URL" -X -f bench/db/predicates.sql
-- (docs/performance.md, "Column validity rules"). The pairs are
-- equivalent forms, except octet_length, which equals char_length only
-- for ASCII text.
SET jit = off;
\timing on
\echo count(*)
SELECT count(*) FROM bench_dbq.wide;
\echo NULL-only scan of c1
SELECT count(*) FILTER (WHERE c1 IS NULL) FROM bench_dbq.wide;
\echo integer: min, max, values as <> ALL (array)
SELECT count(*) FILTER (WHERE (c1 < 0) OR (c1 > 1000000000)
    OR (c1 <> ALL ('{1,2,3}'))) FROM bench_dbq.wide;
\echo integer: min, max, values as NOT IN (list)
SELECT count(*) FILTER (WHERE (c1 < 0) OR (c1 > 1000000000)
    OR (c1 NOT IN (1, 2, 3))) FROM bench_dbq.wide;
\echo numeric: min, max, values
SELECT count(*) FILTER (WHERE (c3 < 0) OR (c3 > 1000000000)
    OR (c3 <> ALL ('{1.5,3}'))) FROM bench_dbq.wide;
\echo text: regex
SELECT count(*) FILTER (WHERE c2 !~ '^[0-9x]+$') FROM bench_dbq.wide;
\echo text: lengths as char_length
SELECT count(*) FILTER (WHERE (char_length(c2) < 1) OR (char_length(c2) > 20))
    FROM bench_dbq.wide;
\echo text: lengths as octet_length (ASCII only)
SELECT count(*) FILTER (WHERE (octet_length(c2) < 1)
    OR (octet_length(c2) > 20)) FROM bench_dbq.wide;
\echo timestamptz: min, max, not_future
SELECT count(*) FILTER (WHERE (c4 < '2000-01-01') OR (c4 > '2100-01-01')
    OR (c4 > now() + '0 milliseconds'::interval)) FROM bench_dbq.wide;
\echo date: min, max, not_future (date against timestamptz)
SELECT count(*) FILTER (WHERE (c9 < '2000-01-01') OR (c9 > '2100-01-01')
    OR (c9 > now() + '0 milliseconds'::interval)) FROM bench_dbq.wide;
\echo boolean: values
SELECT count(*) FILTER (WHERE c8 <> ALL ('{true,false}')) FROM bench_dbq.wide;
\echo unique of c1 (count(DISTINCT), serial)
SELECT count(c1), count(DISTINCT c1) FROM bench_dbq.wide;
