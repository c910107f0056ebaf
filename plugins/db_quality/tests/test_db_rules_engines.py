"""db_quality's column rules, profiles, references, sampling and backfill
on every engine: one data set (built here in Python) loaded into
PostgreSQL and MariaDB through their own clients, then checked through the
real nbaq-host on PostgreSQL, MariaDB, ODBC->PostgreSQL and ODBC->MariaDB
(fixtures postgres, mariadb, odbc). Every figure is computed here from the
rows themselves (Python's re, statistics and sets), and every engine must
give exactly those metrics."""
import datetime
import math
import os
import re
import statistics
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbq_host import engine_dsns, run_db_quality  # noqa: E402
import pgfixture  # noqa: E402

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "sqlengine", "tests"))
from mariadbfixture import mariadb, use_odbc_fixture  # noqa: E402

T = "dbq_rules_eng"
P = "dbq_rules_parent"
NOW = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
# "CC" passes the regex and the length but not `values` compared byte for
# byte ("cc" is listed); "cc" and "aa" break the case-sensitive regex; "AA "
# equals "AA" only under a PAD SPACE collation.
CODES = ["AA", "BB", "cc", "aa", "A", "ZZ", "AA ", "CC", None]
TAGS = ["x", "X", "y", "y ", "z", None]


def rows():
    """(id, code, amount, price, day, seen_at, parent_id, tag)."""
    for i in range(1, 151):
        ident = i if i % 25 else i - 1  # a few repeated ids
        amount = None if i % 11 == 0 else (i * 7) % 130 - 10
        price = None if i % 13 == 0 else round((i % 17) * 0.75, 2)
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 40)
        # Whole seconds, spread over the last 10 days; a few in the future.
        offset = datetime.timedelta(days=2) if i % 19 == 0 else \
            -datetime.timedelta(hours=(i * 37) % 240, minutes=i % 60)
        seen_at = (NOW + offset).replace(microsecond=0)
        parent = None if i % 9 == 0 else i % 23
        yield (ident, CODES[i % len(CODES)], amount, price, day, seen_at,
               parent, TAGS[i % len(TAGS)])


def literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, (str, datetime.date)):
        return f"'{v}'"
    return str(v)


def load(run, timestamp_type):
    values = ", ".join("(" + ", ".join(literal(v) for v in r) + ")"
                       for r in rows())
    run(f"DROP TABLE IF EXISTS {T}")
    run(f"DROP TABLE IF EXISTS {P}")
    run(f"CREATE TABLE {P} (id integer)")
    run(f"INSERT INTO {P} VALUES " +
        ", ".join(f"({k})" for k in range(0, 23) if k % 5))
    run(f"CREATE TABLE {T} (id integer NOT NULL, code varchar(8), "
        f"amount integer, price decimal(8,2), day date, "
        f"seen_at {timestamp_type}, parent_id integer, tag varchar(10))")
    run(f"INSERT INTO {T} VALUES {values}")


TABLE = f"""        - name: {T}
          samples: 2
          columns:
            id: {{unique: true, profile: quantiles}}
            code: {{values: [AA, BB, cc], regex: '^[A-Z]+$', min_length: 2}}
            amount: {{min: 0, max: 100, profile: quantiles}}
            price: {{min: '0.5', profile: true}}
            day: {{min: '2024-01-10', profile: quantiles}}
            seen_at: {{not_future: true}}
            tag: {{unique: true}}
            parent_id: {{references: {{table: {P}, column: id}}}}
          backfill: {{column: seen_at, days: 3}}
"""


def column(i):
    return [r[i] for r in rows() if r[i] is not None]


def cont(values, p):
    """percentile_cont: linear interpolation between the sorted values."""
    values = sorted(values)
    rank = p * (len(values) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(values) - 1)
    return values[low] + (rank - low) * (values[high] - values[low])


def disc(values, p):
    """percentile_disc: the first value whose cumulative share is >= p."""
    values = sorted(values)
    return values[max(math.ceil(p * len(values)) - 1, 0)]


def epoch(day):
    return (datetime.datetime.combine(day, datetime.time()) -
            datetime.datetime(1970, 1, 1)).total_seconds()


def profile(prefix, values, quantiles, as_number=float):
    numbers = [as_number(v) for v in values]
    out = {prefix + "distinct": len(set(values)),
           prefix + "min": min(numbers), prefix + "max": max(numbers)}
    if as_number is float:
        out[prefix + "mean"] = statistics.mean(numbers)
        out[prefix + "stddev"] = statistics.stdev(numbers)
    if quantiles and as_number is float:
        out[prefix + "p50"] = cont(numbers, 0.5)
        out[prefix + "p95"] = cont(numbers, 0.95)
    elif quantiles:
        out[prefix + "p50"] = disc(numbers, 0.5)
        out[prefix + "p95"] = disc(numbers, 0.95)
    return out


def invalid(prefix, values, broken):
    bad = sum(1 for v in values if broken(v))
    return {prefix + "invalid_count": bad,
            prefix + "invalid_pct": 100.0 * bad / len(values)}


def repeated(prefix, values):
    """unique: the values beyond the first of each, compared exactly."""
    extra = len(values) - len(set(values))
    return {prefix + "invalid_count": extra,
            prefix + "invalid_pct": 100.0 * extra / len(values)}


def expected():
    t = T + "."
    want = {t + "rows": sum(1 for _ in rows()), t + "schema.drift": 0}
    ids = column(0)
    want.update(repeated(t + "id.", ids))
    want.update(profile(t + "id.", ids, True))
    want.update(invalid(t + "code.", column(1), lambda v: (
        v not in ("AA", "BB", "cc") or not re.fullmatch("[A-Z]+", v) or
        len(v) < 2)))
    want.update(invalid(t + "amount.", column(2), lambda v: v < 0 or v > 100))
    want.update(profile(t + "amount.", column(2), True))
    want.update(invalid(t + "price.", column(3), lambda v: v < 0.5))
    want.update(profile(t + "price.", column(3), False))
    want.update(invalid(t + "day.", column(4),
                        lambda v: v < datetime.date(2024, 1, 10)))
    want.update(profile(t + "day.", column(4), True, epoch))
    want.update(invalid(t + "seen_at.", column(5), lambda v: v > NOW))
    want.update(repeated(t + "tag.", column(7)))
    parents = {k for k in range(0, 23) if k % 5}
    want[t + "parent_id.orphans"] = sum(1 for v in column(6)
                                        if v not in parents)
    yesterday = NOW.date() - datetime.timedelta(days=1)
    want[t + "rows_per_day"] = sum(1 for v in column(5)
                                   if v.date() == yesterday)
    return want


class DbRulesEnginesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        load(mariadb, "datetime")
        load(pgfixture.psql, "timestamp")
        use_odbc_fixture()

    def assert_figures(self, got, want, message):
        self.assertEqual(set(got), set(want), message)
        for k, v in want.items():
            self.assertAlmostEqual(got[k], v, delta=1e-9 * max(1, abs(v)),
                                   msg=k)

    def test_rules_profiles_references_backfill_on_every_engine(self):
        want = expected()
        # a figure the rows do not make trivially zero
        for k in ("code.invalid_count", "amount.invalid_count",
                  "parent_id.orphans", "tag.invalid_count",
                  "seen_at.invalid_count", "rows_per_day"):
            self.assertGreater(want[f"{T}.{k}"], 0, k)
        for engine, dsn in engine_dsns().items():
            with self.subTest(engine=engine):
                _, check, m = run_db_quality(self, TABLE, dsn)
                self.assertNotEqual(check["status"], "ERROR",
                                    check["message"])
                got = {k: v["value"] for k, v in m.items()}
                self.assert_figures(got, want, check["message"])
                self.assertIn('column "code": ', check["message"])

    def test_whole_sample_equals_the_table(self):
        table = TABLE.replace("          samples: 2\n",
                              "          sample_percent: 100\n")
        want = expected()
        want[f"{T}.rows_estimate"] = want[f"{T}.rows"]
        for engine, dsn in engine_dsns().items():
            with self.subTest(engine=engine):
                _, check, m = run_db_quality(self, table, dsn)
                got = {k: v["value"] for k, v in m.items()}
                self.assert_figures(got, want, check["message"])

    def test_mariadb_sample_is_a_bernoulli_sample_of_rows(self):
        table = (f"        - name: {T}\n"
                 f"          sample_percent: 50\n")
        _, check, m = run_db_quality(self, table, engine_dsns()["mariadb"])
        rows = m[f"{T}.rows"]["value"]
        # 150 rows kept with p = 0.5 each: 75 +- 6.1; 45..105 is 5 sigma.
        self.assertGreaterEqual(rows, 45, check["message"])
        self.assertLessEqual(rows, 105)
        self.assertAlmostEqual(m[f"{T}.rows_estimate"]["value"], rows * 2)

    def test_bad_literal_and_regex_name_engine_column_and_rule(self):
        cases = {
            "{name: amount, min: lots}":
                'column "amount" (int): rule min: "lots" is not an integer',
            "{name: day, max: soon}":
                'column "day" (date): rule max: "soon" is not a date',
            "{name: code, regex: '(['}":
                'MariaDB: column "code": rule regex: ',
        }
        for rule, text in cases.items():
            with self.subTest(rule=rule):
                table = f"        - name: {T}\n          columns:\n" \
                        f"            - {rule}\n"
                _, check, m = run_db_quality(self, table, engine_dsns()["mariadb"])
                self.assertEqual(check["status"], "ERROR")
                self.assertIn(f"{T}: {text}", check["message"])


M = "dbq_rules_misc"
# On MariaDB, code is latin1 ('é' one byte there, two in the UTF-8 of the
# parameters) and flag is BOOLEAN, that is TINYINT(1).
MISC = [(1, "café", True), (2, "abc", False), (3, "Café", True),
        (4, "abc ", None), (5, "cafe", False), (6, "été", True),
        (7, None, True)]


def load_misc(run, charset):
    run(f"DROP TABLE IF EXISTS {M}")
    run(f"CREATE TABLE {M} (id integer, code varchar(8){charset}, "
        f"flag boolean)")
    run(f"INSERT INTO {M} VALUES " + ", ".join(
        "(" + ", ".join(literal(v) if not isinstance(v, bool) else
                        ("TRUE" if v else "FALSE") for v in r) + ")"
        for r in MISC))


class LiteralsTest(unittest.TestCase):
    """values compared as text whatever the column's character set, and
    every literal checked against its column's type alike on every
    engine (issue 13)."""

    @classmethod
    def setUpClass(cls):
        load(mariadb, "datetime")
        load(pgfixture.psql, "timestamp")
        load_misc(mariadb, " CHARACTER SET latin1")
        load_misc(pgfixture.psql, "")
        use_odbc_fixture()

    def test_latin1_text_and_boolean_values_on_every_engine(self):
        self.assertEqual(mariadb(f"SELECT HEX(code) FROM {M} WHERE id = 1"),
                         "636166E9")  # stored as latin1 'café'
        table = (f"        - name: {M}\n          columns:\n"
                 f"            code: {{values: [\"café\", abc, \"été\"], "
                 f"regex: '^[a-zé]+$'}}\n"
                 f"            flag: {{values: [true]}}\n")
        codes = [r[1] for r in MISC if r[1] is not None]
        flags = [r[2] for r in MISC if r[2] is not None]
        want = {f"{M}.rows": len(MISC), f"{M}.schema.drift": 0}
        want.update(invalid(f"{M}.code.", codes, lambda v: (
            v not in ("café", "abc", "été") or
            not re.fullmatch("[a-zé]+", v))))
        want.update(invalid(f"{M}.flag.", flags, lambda v: v is not True))
        # 'true' read as 0 would flag the other rows: not as many
        self.assertNotIn(want[f"{M}.flag.invalid_count"],
                         (0, len(flags) - want[f"{M}.flag.invalid_count"]))
        for engine, dsn in engine_dsns().items():
            with self.subTest(engine=engine):
                _, check, m = run_db_quality(self, table, dsn)
                self.assertNotEqual(check["status"], "ERROR",
                                    check["message"])
                got = {k: v["value"] for k, v in m.items()}
                self.assertEqual(got, want, check["message"])

    def test_bad_literals_are_refused_alike_on_every_engine(self):
        cases = {
            "{name: amount, values: [1, abc]}":
                'rule values: "abc" is not an integer',
            "{name: price, values: ['1.5', lots]}":
                'rule values: "lots" is not a number',
            "{name: day, max: '2024-13-45'}":
                'rule max: "2024-13-45" is not a date',
            "{name: day, min: '2024-02-30'}":
                'rule min: "2024-02-30" is not a date',
            "{name: day, values: ['2023-02-29']}":
                'rule values: "2023-02-29" is not a date',
            "{name: seen_at, min: '2024-01-10 25:00'}":
                'rule min: "2024-01-10 25:00" is not a timestamp',
            "{name: flag, values: [true, maybe]}":
                'rule values: "maybe" is not ',
        }
        for engine, dsn in engine_dsns().items():
            for rule, text in cases.items():
                with self.subTest(engine=engine, rule=rule):
                    name = M if "flag" in rule else T
                    table = (f"        - name: {name}\n          columns:\n"
                             f"            - {rule}\n"
                             f"        - name: {P}\n          columns:\n"
                             f"            - {{name: id, min: 3}}\n")
                    _, check, m = run_db_quality(self, table, dsn)
                    self.assertEqual(check["status"], "ERROR")
                    column = rule.split(",")[0].split()[-1]
                    self.assertRegex(check["message"], re.escape(
                        f'{name}: column "{column}" (') + r".*?\): " +
                        re.escape(text))
                    # the other table is still measured
                    self.assertEqual(m[f"{P}.id.invalid_count"]["value"],
                                     sum(1 for k in range(0, 23)
                                         if k % 5 and k < 3))

    def test_good_date_and_timestamp_literals_pass(self):
        table = (f"        - name: {T}\n          columns:\n"
                 f"            day: {{min: '2024-02-29', max: '2024-02-10'}}\n"
                 f"            seen_at: {{min: '2000-02-29T23:59:59.5'}}\n")
        days = column(4)
        for engine, dsn in engine_dsns().items():
            with self.subTest(engine=engine):
                _, check, m = run_db_quality(self, table, dsn)
                self.assertNotEqual(check["status"], "ERROR",
                                    check["message"])
                self.assertEqual(
                    m[f"{T}.day.invalid_count"]["value"],
                    sum(1 for v in days if v < datetime.date(2024, 2, 29) or
                        v > datetime.date(2024, 2, 10)))
                self.assertEqual(m[f"{T}.seen_at.invalid_count"]["value"], 0)


class ConcurrencyTest(unittest.TestCase):
    """Tables measured in parallel (one connection per worker) give the
    figures of the serial run on MariaDB and over ODBC."""

    @classmethod
    def setUpClass(cls):
        load(mariadb, "datetime")
        load(pgfixture.psql, "timestamp")
        use_odbc_fixture()

    def test_parallel_equals_serial(self):
        tables = TABLE + f"        - name: {P}\n          " \
            "columns: {id: {min: 3, profile: true}}\n"
        for engine in ("mariadb", "odbc-mariadb", "odbc-postgresql"):
            with self.subTest(engine=engine):
                runs = []
                for n in (1, 4):
                    _, check, m = run_db_quality(self, tables, engine_dsns()[engine],
                                                 concurrency=n)
                    runs.append({k: v["value"] for k, v in m.items()})
                self.assertEqual(runs[0], runs[1])
                self.assertIn(f"{P}.id.invalid_count", runs[0])


if __name__ == "__main__":
    unittest.main()
