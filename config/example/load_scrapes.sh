#!/bin/sh
# Loads the game ids of the bundled scrapes (data/scrapes/boxscores/
# season=<season>/game-<id>.json) into the table nba_example.games, as a
# loader would: one row per scraped game, with its season. Used by the
# reconciliation example (config/reconciliation.yaml,
# docs/reconciliation.md).
#
#   load_scrapes.sh DSN      (re)creates the schema nba_example
set -eu
dsn=${1:?usage: load_scrapes.sh DSN}
here=$(dirname "$0")
{
    echo "DROP SCHEMA IF EXISTS nba_example CASCADE;"
    echo "CREATE SCHEMA nba_example;"
    echo "CREATE TABLE nba_example.games (game_id text PRIMARY KEY,"
    echo "  season int NOT NULL);"
    for file in "$here"/data/scrapes/boxscores/season=*/game-*.json; do
        season=${file%/*}
        season=${season##*season=}
        id=${file##*/game-}
        id=${id%.json}
        echo "INSERT INTO nba_example.games VALUES ('$id', $season);"
    done
} | psql -X -q -v ON_ERROR_STOP=1 -d "$dsn"
