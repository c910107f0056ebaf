#!/bin/sh
# Prints where it runs and what it was given, as a monitoring plugin would:
# "OK - cwd=<dir> greeting=<$GREETING> args=<n>" and exits 0.
printf 'OK - cwd=%s greeting=%s args=%s\n' "$(pwd)" "${GREETING:-}" "$#"
