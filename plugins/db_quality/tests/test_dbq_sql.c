/* SQL text, schema expectations and drift of db_quality: no server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dbq.h"
#include "sqlengine_backend.h"

static char *critical_q[] = {"\"a\"", "\"b c\""};
static char *keys_q[] = {"\"id\"", "\"day\""};
static const char *critical[] = {"a", "b c"};
static const char *keys[] = {"id", "day"};

static void assert_sql(void (*build)(textbuf *, const dbq_table_spec *,
                                     const dbq_quoted *),
                       const dbq_table_spec *spec, const dbq_quoted *q,
                       const char *expected)
{
    textbuf sql;
    textbuf_init(&sql);
    build(&sql, spec, q);
    assert_false(textbuf_failed(&sql));
    assert_string_equal(sql.data, expected);
    textbuf_free(&sql);
}

static void scan_with_freshness(textbuf *sql, const dbq_table_spec *spec,
                                const dbq_quoted *q)
{
    dbq_sql_scan(sql, spec, q, 1, &(dbq_params){0});
}

static void scan_without_freshness(textbuf *sql, const dbq_table_spec *spec,
                                   const dbq_quoted *q)
{
    dbq_sql_scan(sql, spec, q, 0, &(dbq_params){0});
}

static void test_scan_sql(void **state)
{
    (void)state;
    dbq_table_spec spec = {
        .name = "s.t", .critical_columns = critical, .critical_count = 2};
    int composite[] = {0, 1};
    dbq_quoted q = {
        .table = "\"s\".\"t\"", .critical = critical_q, .freshness = "\"ts\""};
    assert_sql(scan_without_freshness, &spec, &q,
               "SELECT count(*), count(*) FILTER (WHERE \"a\" IS NULL), "
               "count(*) FILTER (WHERE \"b c\" IS NULL), count(*) FILTER "
               "(WHERE \"a\" IS NULL OR \"b c\" IS NULL) FROM "
               "\"s\".\"t\"");
    spec.filter = "day > now() - interval '1 day' -- recent";
    q.critical_composite = composite;
    spec.sample_percent = 12.5;
    assert_sql(scan_with_freshness, &spec, &q,
               "SELECT count(*), count(*) FILTER (WHERE \"a\" IS NULL), "
               "count(*) FILTER (WHERE num_nulls(\"b c\") = 1), count(*) "
               "FILTER (WHERE \"a\" IS NULL OR num_nulls(\"b c\") = 1), "
               "EXTRACT(EPOCH FROM now() - "
               "max(\"ts\")::timestamptz) FROM \"s\".\"t\" TABLESAMPLE "
               "SYSTEM (12.5) WHERE (\nday > now() - interval '1 day' -- "
               "recent\n)");
    spec.critical_count = 0;
    spec.filter = NULL;
    spec.sample_percent = 0.1;
    spec.sample_bernoulli = 1;
    assert_sql(scan_without_freshness, &spec, &q,
               "SELECT count(*) FROM \"s\".\"t\" TABLESAMPLE BERNOULLI "
               "(0.1)");
}

/* Rules of two columns in the scan: literals become $1.., in order; a
 * critical column's non-NULL count is not asked twice. */
static void test_scan_with_column_rules(void **state)
{
    (void)state;
    dbq_rule pts_rules[] = {{.kind = DBQ_RULE_MIN, .param = "0"},
                            {.kind = DBQ_RULE_MAX, .param = "250"}};
    dbq_rule id_rules[] = {{.kind = DBQ_RULE_REGEX, .param = "^00"},
                           {.kind = DBQ_RULE_NOT_FUTURE, .param = "0"}};
    dbq_column_spec columns[] = {
        {.name = "a", .rules = pts_rules, .rule_count = 2, .unique = 1},
        {.name = "id",
         .rules = id_rules,
         .rule_count = 2,
         .profile = DBQ_PROFILE_QUANTILES}};
    dbq_table_spec spec = {.name = "t",
                           .critical_columns = critical,
                           .critical_count = 1,
                           .columns = columns,
                           .column_count = 2};
    char *quoted[] = {"\"a\"", "\"id\""};
    dbq_type_class types[] = {DBQ_TYPE_NUMBER, DBQ_TYPE_TIME};
    dbq_quoted q = {.table = "\"t\"",
                    .critical = critical_q,
                    .columns = quoted,
                    .column_types = types};
    const char *values[4];
    dbq_params params = {.values = values};
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_scan(&sql, &spec, &q, 0, &params);
    assert_string_equal(
        sql.data,
        "SELECT count(*), count(*) FILTER (WHERE \"a\" IS NULL), count(*) "
        "FILTER (WHERE \"a\" IS NULL), count(*) FILTER (WHERE (\"a\" < $1) "
        "OR (\"a\" > $2)), count(\"id\"), count(*) "
        "FILTER (WHERE (\"id\" !~ $3) OR (\"id\" > now() + $4::bigint * "
        "interval '1 millisecond')) "
        "FROM \"t\"");
    /* No parallel-unsafe aggregate in the scan: it keeps its workers. */
    assert_null(strstr(sql.data, "DISTINCT"));
    assert_null(strstr(sql.data, "WITHIN GROUP"));
    textbuf_free(&sql);
    textbuf_init(&sql);
    dbq_sql_distinct(&sql, &spec, &q);
    assert_string_equal(
        sql.data,
        "SELECT NULL, count(\"a\"), count(DISTINCT \"a\"), count(\"id\"), "
        "count(DISTINCT \"id\"), EXTRACT(EPOCH FROM min(\"id\")), "
        "EXTRACT(EPOCH FROM max(\"id\")), NULL, NULL, EXTRACT(EPOCH FROM "
        "percentile_disc(0.5) WITHIN GROUP (ORDER BY \"id\")), EXTRACT(EPOCH "
        "FROM percentile_disc(0.95) WITHIN GROUP (ORDER BY \"id\")) FROM "
        "\"t\"");
    assert_int_equal(params.count, 4);
    assert_string_equal(values[0], "0");
    assert_string_equal(values[2], "^00");
    assert_string_equal(values[3], "0");
    textbuf_free(&sql);
}

/* The same rules in the MySQL dialect: "?" placeholders in the order of
 * the parameters, one per value of a `values` rule, text compared byte for
 * byte, a case-sensitive REGEXP, quantiles left to their own statement. */
static void test_scan_in_mysql_dialect(void **state)
{
    (void)state;
    const char *codes[] = {"a", "B"};
    dbq_rule code_rules[] = {{.kind = DBQ_RULE_VALUES,
                              .param = "{a,B}",
                              .values = codes,
                              .value_count = 2},
                             {.kind = DBQ_RULE_REGEX, .param = "^[a-z]$"}};
    dbq_rule n_rules[] = {{.kind = DBQ_RULE_MIN, .param = "0"}};
    dbq_column_spec columns[] = {
        {.name = "code", .rules = code_rules, .rule_count = 2, .unique = 1},
        {.name = "n",
         .rules = n_rules,
         .rule_count = 1,
         .profile = DBQ_PROFILE_QUANTILES}};
    dbq_table_spec spec = {.name = "t",
                           .columns = columns,
                           .column_count = 2,
                           .sample_percent = 10};
    char *quoted[] = {"`code`", "`n`"};
    dbq_type_class types[] = {DBQ_TYPE_TEXT, DBQ_TYPE_NUMBER};
    dbq_quoted q = {
        .syntax = {.dialect = SQLENGINE_DIALECT_MYSQL, .positional_params = 1},
        .percentiles = SQLENGINE_PERCENTILE_WINDOW,
        .table = "`t`",
        .columns = quoted,
        .column_types = types};
    const char *values[8];
    dbq_params params = {.values = values};
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_scan(&sql, &spec, &q, 0, &params);
    assert_string_equal(
        sql.data,
        "SELECT count(*), count(`code`), COUNT(CASE WHEN (CAST(CONVERT(`code` "
        "USING utf8mb4) AS BINARY) NOT IN (?, ?)) OR (NOT (`code` REGEXP "
        "CONCAT('(?-i)', ?))) "
        "THEN 1 END), count(`n`), COUNT(CASE WHEN (`n` < ?) THEN 1 END) "
        "FROM `t` WHERE RAND() < 0.1");
    assert_int_equal(params.count, 4);
    assert_string_equal(values[1], "B");
    assert_string_equal(values[2], "^[a-z]$");
    textbuf_free(&sql);
    textbuf_init(&sql);
    dbq_sql_distinct(&sql, &spec, &q);
    assert_string_equal(
        sql.data,
        "SELECT NULL, count(`code`), count(DISTINCT CAST(CONVERT(`code` USING "
        "utf8mb4) AS BINARY)), "
        "count(`n`), count(DISTINCT `n`), (min(`n`)) + 0e0, (max(`n`)) + 0e0, "
        "avg((`n`) + 0e0), (stddev_samp(`n`)) + 0e0, NULL, NULL FROM `t` "
        "WHERE RAND() < 0.1");
    assert_true(dbq_window_quantiles(&q, &columns[1], 1));
    textbuf_free(&sql);
    textbuf_init(&sql);
    dbq_sql_window_quantiles(&sql, &spec, &q, 1);
    assert_string_equal(
        sql.data,
        "SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY `n`) OVER (), "
        "PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY `n`) OVER () FROM `t` "
        "WHERE `n` IS NOT NULL AND RAND() < 0.1 LIMIT 1");
    textbuf_free(&sql);
}

static void test_rule_types_and_array_literal(void **state)
{
    (void)state;
    assert_int_equal(dbq_type_class_of("integer"), DBQ_TYPE_NUMBER);
    assert_int_equal(dbq_type_class_of("timestamp with time zone"),
                     DBQ_TYPE_TIME);
    assert_int_equal(dbq_type_class_of("character varying"), DBQ_TYPE_TEXT);
    assert_int_equal(dbq_type_class_of("jsonb"), DBQ_TYPE_JSON);
    assert_int_equal(dbq_type_class_of("uuid"), DBQ_TYPE_OTHER);
    assert_null(dbq_rule_type_mismatch(DBQ_RULE_MIN, DBQ_TYPE_TIME));
    assert_non_null(dbq_rule_type_mismatch(DBQ_RULE_MIN, DBQ_TYPE_TEXT));
    assert_non_null(dbq_rule_type_mismatch(DBQ_RULE_REGEX, DBQ_TYPE_NUMBER));
    assert_non_null(
        dbq_rule_type_mismatch(DBQ_RULE_NOT_FUTURE, DBQ_TYPE_NUMBER));
    assert_null(dbq_rule_type_mismatch(DBQ_RULE_VALUES, DBQ_TYPE_OTHER));
    assert_non_null(dbq_rule_type_mismatch(DBQ_RULE_VALUES, DBQ_TYPE_JSON));
    const char *values[] = {"BOS", "a\"b", "c\\d", "x,y"};
    textbuf text;
    textbuf_init(&text);
    dbq_array_literal(&text, values, 4);
    assert_string_equal(text.data, "{\"BOS\",\"a\\\"b\",\"c\\\\d\",\"x,y\"}");
    textbuf_free(&text);
}

static void assert_literal(const char *text, dbq_literal_kind kind, int ok)
{
    const char *problem = dbq_literal_problem(text, kind);
    if (ok && problem != NULL)
        fail_msg("\"%s\" refused: %s", text, problem);
    if (!ok && problem == NULL)
        fail_msg("\"%s\" accepted", text);
}

static void test_date_literals_are_calendar_days(void **state)
{
    (void)state;
    static const char *const good[] = {"2024-01-31", "2024-02-29", "2000-02-29",
                                       "2023-12-31"};
    static const char *const bad[] = {
        "2024-13-45",  "2024-02-30", "2023-02-29",       "1900-02-29",
        "2024-04-31",  "2024-00-10", "2024-01-00",       "2024-1-10",
        "2024-01-10x", "soon",       "2024-01-10 12:00", ""};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_literal(good[i], DBQ_LITERAL_DATE, 1);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_literal(bad[i], DBQ_LITERAL_DATE, 0);
    static const char *const stamps[] = {"2024-02-29", "2024-02-29 23:59",
                                         "2024-02-29T23:59:59",
                                         "2024-02-29 00:00:00.123456"};
    static const char *const bad_stamps[] = {"2024-02-30 10:00",
                                             "2024-01-10 24:00",
                                             "2024-01-10 12:60",
                                             "2024-01-10 12:00:61",
                                             "2024-01-10 12:00:60",
                                             "2024-01-10 12",
                                             "2024-01-10 12:00:00.",
                                             "2024-01-10 12:00:00+02:00",
                                             "2024-01-10 12:00:00 tomorrow"};
    for (size_t i = 0; i < sizeof stamps / sizeof *stamps; i++)
        assert_literal(stamps[i], DBQ_LITERAL_TIMESTAMP, 1);
    for (size_t i = 0; i < sizeof bad_stamps / sizeof *bad_stamps; i++)
        assert_literal(bad_stamps[i], DBQ_LITERAL_TIMESTAMP, 0);
    /* PostgreSQL reads a zone; MySQL would drop it silently. */
    assert_literal("2024-01-10 12:00:00+02:00", DBQ_LITERAL_TIMESTAMP_ZONED, 1);
    assert_literal("2024-01-10T12:00Z", DBQ_LITERAL_TIMESTAMP_ZONED, 1);
    assert_literal("2024-01-10 12:00:00+2", DBQ_LITERAL_TIMESTAMP_ZONED, 0);
    assert_literal("2024-01-10 12:00:00+0530", DBQ_LITERAL_TIMESTAMP_ZONED, 1);
    assert_literal("2024-01-10 12:00:00+16:00", DBQ_LITERAL_TIMESTAMP_ZONED, 0);
    dbq_rule max = {.kind = DBQ_RULE_MAX, .param = "2024-13-45"};
    const char *bad_literal = NULL;
    assert_non_null(
        dbq_rule_literal_problem(&max, DBQ_LITERAL_DATE, &bad_literal));
    assert_string_equal(bad_literal, "2024-13-45");
}

static void test_values_literals_by_column_type(void **state)
{
    (void)state;
    const char *values[] = {"1", "abc"};
    dbq_rule rule = {
        .kind = DBQ_RULE_VALUES, .values = values, .value_count = 2};
    const char *bad = NULL;
    assert_string_equal(
        dbq_rule_literal_problem(&rule, DBQ_LITERAL_INTEGER, &bad),
        "is not an integer");
    assert_string_equal(bad, "abc");
    assert_null(dbq_rule_literal_problem(&rule, DBQ_LITERAL_ANY, &bad));
    assert_literal("-12", DBQ_LITERAL_INTEGER, 1);
    assert_literal("1.5", DBQ_LITERAL_INTEGER, 0);
    assert_literal("1.5e3", DBQ_LITERAL_NUMBER, 1);
    assert_literal("nan", DBQ_LITERAL_NUMBER, 0);
    assert_literal("TRUE", DBQ_LITERAL_BOOLEAN, 1);
    assert_literal("off", DBQ_LITERAL_BOOLEAN, 1);
    assert_literal("2", DBQ_LITERAL_BOOLEAN, 0);
    assert_literal("2", DBQ_LITERAL_FLAG, 1);
    assert_literal("maybe", DBQ_LITERAL_FLAG, 0);
    assert_int_equal(dbq_boolean_of("Yes"), 1);
    assert_int_equal(dbq_boolean_of("f"), 0);
    assert_int_equal(dbq_boolean_of("y"), -1);
    dbq_column tinyint = {.type = "tinyint", .base_type = "integer"};
    dbq_column boolean = {.type = "boolean", .base_type = "boolean"};
    dbq_column stamp = {.type = "timestamp with time zone",
                        .base_type = "timestamp with time zone"};
    assert_int_equal(dbq_literal_kind_of(&tinyint, SQLENGINE_DIALECT_MYSQL),
                     DBQ_LITERAL_FLAG);
    assert_int_equal(
        dbq_literal_kind_of(&tinyint, SQLENGINE_DIALECT_POSTGRESQL),
        DBQ_LITERAL_INTEGER);
    assert_int_equal(
        dbq_literal_kind_of(&boolean, SQLENGINE_DIALECT_POSTGRESQL),
        DBQ_LITERAL_BOOLEAN);
    assert_int_equal(dbq_literal_kind_of(&stamp, SQLENGINE_DIALECT_POSTGRESQL),
                     DBQ_LITERAL_TIMESTAMP_ZONED);
    assert_int_equal(dbq_literal_kind_of(&stamp, SQLENGINE_DIALECT_MYSQL),
                     DBQ_LITERAL_TIMESTAMP);
}

/* MySQL reads 'true' as 0: booleans go as 1 and 0; PostgreSQL reads its
 * array of spellings itself. */
static void test_boolean_values_on_mysql(void **state)
{
    (void)state;
    const char *values[] = {"true", "OFF"};
    dbq_rule rule = {.kind = DBQ_RULE_VALUES,
                     .param = "{\"true\",\"OFF\"}",
                     .values = values,
                     .value_count = 2};
    const char *pushed[4];
    dbq_params params = {.values = pushed};
    textbuf sql;
    textbuf_init(&sql);
    sqlengine_syntax mysql = {.dialect = SQLENGINE_DIALECT_MYSQL,
                              .positional_params = 1};
    dbq_sql_rule_condition(&sql, mysql, &rule, "`b`", DBQ_TYPE_NUMBER,
                           DBQ_LITERAL_FLAG, &params);
    assert_string_equal(sql.data, "`b` NOT IN (?, ?)");
    assert_int_equal(params.count, 2);
    assert_string_equal(pushed[0], "1");
    assert_string_equal(pushed[1], "0");
    textbuf_clear(&sql);
    params.count = 0;
    sqlengine_syntax pg = {.dialect = SQLENGINE_DIALECT_POSTGRESQL};
    dbq_sql_rule_condition(&sql, pg, &rule, "\"b\"", DBQ_TYPE_OTHER,
                           DBQ_LITERAL_BOOLEAN, &params);
    assert_string_equal(sql.data, "\"b\" <> ALL ($1)");
    assert_string_equal(pushed[0], rule.param);
    textbuf_free(&sql);
}

static void test_samples_and_orphans_sql(void **state)
{
    (void)state;
    dbq_table_spec spec = {
        .name = "t", .filter = "season = 2025", .samples = 5};
    dbq_quoted q = {.table = "\"t\""};
    char *shown[] = {"\"id\""};
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_sample_rows(&sql, &spec, &q, shown, 1, "(\"a\" < $1)");
    assert_string_equal(sql.data, "SELECT \"id\"::text FROM \"t\" WHERE TRUE "
                                  "AND (\nseason = 2025\n) AND ((\"a\" < $1)) "
                                  "LIMIT 5");
    textbuf_clear(&sql);
    const char *cols[] = {"g"};
    dbq_reference ref = {.columns = cols,
                         .ref_columns = cols,
                         .count = 1,
                         .table = "games",
                         .filter = "recent"};
    char *quoted_cols[] = {"\"g\""};
    dbq_sql_orphans(&sql, &spec, &q, &ref, quoted_cols, quoted_cols,
                    "\"games\"", NULL, 0);
    assert_string_equal(
        sql.data, "SELECT count(*) FROM \"t\" AS nbaq_child WHERE "
                  "num_nulls(nbaq_child.\"g\") = 0 AND (\nseason = 2025\n) AND "
                  "(\nrecent\n) AND NOT EXISTS (SELECT 1 FROM \"games\" AS "
                  "nbaq_parent WHERE nbaq_parent.\"g\" = nbaq_child.\"g\")");
    textbuf_free(&sql);
}

static void test_duplicates_and_freshness_sql(void **state)
{
    (void)state;
    dbq_table_spec spec = {.name = "t", .key_columns = keys, .key_count = 2};
    dbq_quoted q = {.table = "\"t\"", .keys = keys_q, .freshness = "\"ts\""};
    assert_sql(dbq_sql_duplicates, &spec, &q,
               "SELECT coalesce(sum(n - 1), 0), count(*) FROM (SELECT "
               "count(*) AS n FROM \"t\" WHERE num_nulls(\"id\", \"day\") = "
               "0 GROUP BY \"id\", \"day\" HAVING count(*) > 1) AS repeated");
    spec.filter = "x = 1";
    spec.sample_percent = 50;
    assert_sql(dbq_sql_duplicates, &spec, &q,
               "SELECT coalesce(sum(n - 1), 0), count(*) FROM (SELECT "
               "count(*) AS n FROM \"t\" TABLESAMPLE SYSTEM (50) WHERE "
               "num_nulls(\"id\", \"day\") = 0 AND (\nx = 1\n) GROUP BY "
               "\"id\", \"day\" HAVING count(*) > 1) AS repeated");
    /* Freshness is never sampled: the newest row may be outside it. */
    assert_sql(dbq_sql_freshness, &spec, &q,
               "SELECT EXTRACT(EPOCH FROM now() - max(\"ts\")::timestamptz) "
               "FROM \"t\" WHERE (\nx = 1\n)");
}

/* What an engine lacks is refused by name before anything runs: an ODBC
 * DBMS nbaq does not know gets no regex, clock or sampling; MySQL (not
 * MariaDB) no quantiles. */
static void test_engine_refusals(void **state)
{
    (void)state;
    struct sqlengine unknown = {.dialect = SQLENGINE_DIALECT_OTHER,
                                .name = "ODBC (Foo DB)"};
    struct sqlengine mysql = {.dialect = SQLENGINE_DIALECT_MYSQL,
                              .name = "MySQL"};
    dbq_rule regex[] = {{.kind = DBQ_RULE_MIN, .param = "1"},
                        {.kind = DBQ_RULE_REGEX, .param = "^a"}};
    dbq_column_spec columns[] = {{.name = "c",
                                  .rules = regex,
                                  .rule_count = 2,
                                  .profile = DBQ_PROFILE_QUANTILES}};
    dbq_table_spec spec = {.name = "t", .columns = columns, .column_count = 1};
    dbq_table_result r = {0};
    assert_int_equal(dbq_engine_refusal(&unknown, &spec, &r), -1);
    assert_string_equal(r.error,
                        "ODBC (Foo DB): column \"c\" (rule regex): not "
                        "supported on this engine: nbaq knows no "
                        "regular-expression operator for this engine");
    r = (dbq_table_result){0};
    assert_int_equal(dbq_engine_refusal(&mysql, &spec, &r), -1);
    assert_string_equal(r.error,
                        "MySQL: column \"c\" (profile: quantiles): not "
                        "supported on this engine: MySQL has no percentile "
                        "function (MariaDB 10.3+ has)");
    mysql.window_percentiles = 1;
    assert_int_equal(dbq_engine_refusal(&mysql, &spec, &r), 0);
    dbq_table_spec sampled = {.name = "t", .sample_percent = 5};
    assert_int_equal(dbq_engine_refusal(&unknown, &sampled, &r), -1);
    assert_non_null(strstr(r.error, "ODBC (Foo DB): sample_percent: not "
                                    "supported on this engine: "));
    /* Plain SQL runs everywhere: min, max, values, lengths, unique. */
    columns[0].rule_count = 1;
    columns[0].profile = DBQ_PROFILE_ON;
    assert_int_equal(dbq_engine_refusal(&unknown, &spec, &r), 0);
}

static void test_types_sql(void **state)
{
    (void)state;
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_types(&sql, (sqlengine_syntax){0}, 2);
    assert_string_equal(sql.data, "SELECT format_type(to_regtype($1), NULL), "
                                  "format_type(to_regtype($2), NULL)");
    textbuf_free(&sql);
}

/* An ODBC DBMS nbaq does not know gets standard SQL only: no FILTER, no
 * num_nulls, no ::text, no LIMIT, no TRUE. */
static void test_standard_sql_for_unknown_engines(void **state)
{
    (void)state;
    char *keys[] = {"\"k\""};
    char *cols[] = {"\"p\""};
    const char *names[] = {"p"};
    dbq_table_spec spec = {.name = "t", .samples = 3, .filter = "x = 1"};
    dbq_quoted q = {
        .syntax = {.dialect = SQLENGINE_DIALECT_OTHER, .positional_params = 1},
        .table = "\"t\"",
        .keys = keys};
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_sample_rows(&sql, &spec, &q, keys, 1, "\"a\" < ?");
    assert_string_equal(sql.data,
                        "SELECT \"k\" FROM \"t\" WHERE 1 = 1 AND (\nx = "
                        "1\n) AND (\"a\" < ?) FETCH FIRST 3 ROWS ONLY");
    textbuf_free(&sql);
    dbq_reference ref = {.columns = names, .ref_columns = names, .count = 1};
    textbuf_init(&sql);
    dbq_sql_orphans(&sql, &spec, &q, &ref, cols, cols, "\"parent\"", NULL, 0);
    assert_string_equal(
        sql.data, "SELECT count(*) FROM \"t\" AS nbaq_child WHERE "
                  "(nbaq_child.\"p\" IS NOT NULL) AND (\nx = 1\n) AND NOT "
                  "EXISTS (SELECT 1 FROM \"parent\" AS nbaq_parent WHERE "
                  "nbaq_parent.\"p\" = nbaq_child.\"p\")");
    textbuf_free(&sql);
}

static dbq_column col(char *name, char *type, char *base, int nullable)
{
    return (dbq_column){name, type, base, nullable, 0};
}

static void test_schema_check(void **state)
{
    (void)state;
    dbq_column columns[] = {
        col("id", "integer", "integer", 0),
        col("name", "character varying(20)", "character varying", 1),
        col("price", "numeric(10,2)", "numeric", 1),
        col("extra", "text", "text", 1),
    };
    dbq_expected_column expected[] = {
        {"id", "int", 0},            /* matches                        */
        {"name", "varchar(30)", -1}, /* modifier differs               */
        {"price", "numeric", 0},     /* base matches; nullable differs */
        {"gone", NULL, -1},          /* missing                        */
        {"extra", "bogus_type", -1}, /* unknown type                   */
    };
    char *bases[] = {"integer", "character varying", "numeric", NULL, NULL};
    dbq_table_spec spec = {
        .name = "t", .expected_columns = expected, .expected_count = 5};
    dbq_table_result r = {.columns = columns,
                          .column_count = 4,
                          .expected_base_types = bases,
                          .expected_type_count = 5};
    dbq_schema_findings f;
    dbq_schema_check(&spec, &r, &f);
    assert_int_equal(f.missing, 1);
    assert_int_equal(f.type_mismatches, 2);
    assert_int_equal(f.nullability_mismatches, 1);
    assert_int_equal(f.unexpected, 0);
    assert_string_equal(
        f.detail.data,
        "column \"name\" is character varying(20), expected varchar(30), "
        "column \"price\" is nullable, expected NOT NULL, missing column "
        "\"gone\", column \"extra\": expected type \"bogus_type\" is "
        "unknown");
    textbuf_free(&f.detail);

    /* Strict: only columns named in expected_columns may exist. */
    spec.expected_count = 1;
    spec.strict_schema = 1;
    dbq_schema_check(&spec, &r, &f);
    assert_int_equal(f.unexpected, 3);
    assert_int_equal(f.missing + f.type_mismatches, 0);
    textbuf_free(&f.detail);
}

static void test_drift(void **state)
{
    (void)state;
    dbq_column before[] = {
        col("id", "integer", "integer", 0),
        col("we\tird\\name", "text", "text", 1),
        col("dropped", "date", "date", 1),
        col("n", "integer", "integer", 1),
    };
    dbq_table_result r = {.columns = before, .column_count = 4};
    textbuf state_text, detail;
    textbuf_init(&state_text);
    textbuf_init(&detail);
    dbq_schema_serialize(&r, &state_text);
    assert_string_equal(state_text.data,
                        "nbaq-schema 1\nid\tinteger\t0\nwe\\tird\\\\name\t"
                        "text\t1\ndropped\tdate\t1\nn\tinteger\t1\n");
    /* Same schema: no drift. */
    assert_int_equal(dbq_schema_drift(state_text.data, &r, &detail), 0);
    assert_int_equal(detail.len, 0);

    dbq_column after[] = {
        col("id", "bigint", "bigint", 0),
        col("we\tird\\name", "text", "text", 1),
        col("n", "integer", "integer", 0),
        col("added", "text", "text", 1),
    };
    dbq_table_result now = {.columns = after, .column_count = 4};
    assert_int_equal(dbq_schema_drift(state_text.data, &now, &detail), 4);
    assert_string_equal(detail.data,
                        "column \"id\" retyped integer -> bigint, column "
                        "\"n\" changed nullable -> NOT NULL, column "
                        "\"added\" added (text), column \"dropped\" "
                        "dropped");
    assert_int_equal(dbq_schema_drift("garbage", &now, &detail), -1);
    assert_int_equal(dbq_schema_drift("nbaq-schema 1\nx\ty\n", &now, &detail),
                     -1);
    textbuf_free(&state_text);
    textbuf_free(&detail);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_sql),
        cmocka_unit_test(test_scan_with_column_rules),
        cmocka_unit_test(test_scan_in_mysql_dialect),
        cmocka_unit_test(test_engine_refusals),
        cmocka_unit_test(test_rule_types_and_array_literal),
        cmocka_unit_test(test_date_literals_are_calendar_days),
        cmocka_unit_test(test_values_literals_by_column_type),
        cmocka_unit_test(test_boolean_values_on_mysql),
        cmocka_unit_test(test_samples_and_orphans_sql),
        cmocka_unit_test(test_duplicates_and_freshness_sql),
        cmocka_unit_test(test_types_sql),
        cmocka_unit_test(test_standard_sql_for_unknown_engines),
        cmocka_unit_test(test_schema_check),
        cmocka_unit_test(test_drift),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
