/*
 * season.c - the UTC hour of day, day of week or hour of week of a time,
 * computed with integer arithmetic that SQLite and PostgreSQL evaluate the
 * same way, so that the store can filter a seasonal baseline in SQL.
 */
#include "history_calc.h"

#define HOUR_MS 3600000LL
#define DAY_MS (24 * HOUR_MS)

/* 1970-01-01 was a Thursday: day 4 when Sunday is 0. */
#define EPOCH_WEEKDAY 4

history_season_formula history_season_formula_of(rule_season season)
{
    switch (season) {
    case RULE_SEASON_HOUR_OF_DAY:
        return (history_season_formula){HOUR_MS, 0, 24};
    case RULE_SEASON_DAY_OF_WEEK:
        return (history_season_formula){DAY_MS, EPOCH_WEEKDAY, 7};
    case RULE_SEASON_HOUR_OF_WEEK:
        return (history_season_formula){HOUR_MS, EPOCH_WEEKDAY * 24, 168};
    default:
        return (history_season_formula){1, 0, 1};
    }
}

int64_t history_season_key(int64_t ts_ms, rule_season season)
{
    history_season_formula f = history_season_formula_of(season);
    return (ts_ms / f.unit_ms + f.offset) % f.modulus;
}

const char *history_season_name(rule_season season)
{
    switch (season) {
    case RULE_SEASON_HOUR_OF_DAY:
        return "hour of day";
    case RULE_SEASON_DAY_OF_WEEK:
        return "day of week";
    case RULE_SEASON_HOUR_OF_WEEK:
        return "hour of week";
    default:
        return "";
    }
}
