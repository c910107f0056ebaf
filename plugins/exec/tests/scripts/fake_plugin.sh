#!/bin/sh
# A stand-in monitoring plugin for the tests:
#   fake_plugin.sh EXIT STDOUT [STDERR]
# prints STDOUT and STDERR (printf %b: "\n" starts a line) and exits EXIT.
printf '%b' "$2"
[ $# -ge 3 ] && printf '%b' "$3" >&2
exit "$1"
