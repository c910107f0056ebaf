#!/bin/sh
# Prints the number of data rows of a CSV file (every non-empty line after
# the header): nbaq's exec checker, in mode number, turns that one number
# into a metric. The original system collected inventory counts this way.
#
#   count_rows.sh [FILE.csv]     default: data/orders.csv beside this script
set -eu
file=${1:-$(dirname "$0")/data/orders.csv}
if [ ! -r "$file" ]; then
    echo "cannot read $file" >&2
    exit 1
fi
awk 'NR > 1 && NF > 0 { n++ } END { print n + 0 }' "$file"
