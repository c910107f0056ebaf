#!/usr/bin/env bash
# Set up nbaq and run the bundled example once: installs what is missing,
# builds, and runs every check of config/monitor.yaml (history in SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The host refuses plugin files that group or others can write
# (docs/configuration.md): build them with a umask that does not.
umask 022
cmake -S . -B build >/dev/null
cmake --build build -j "$(nproc)"
exec ./build/nbaq-host -c config/monitor.yaml "$@"
