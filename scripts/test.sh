#!/usr/bin/env bash
# Build nbaq and run every test: once normally (warnings are errors), once
# under AddressSanitizer and UndefinedBehaviorSanitizer. Installs what is
# missing first. Servers the tests need are started by ctest on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
if [ -f tests/services/package.json ]; then
    (cd tests/services && npm ci --no-audit --no-fund --loglevel=error)
fi
jobs=$(nproc)
# The host refuses plugin files that group or others can write (docs/
# configuration.md, "Which plugin files the host trusts"): build with a
# umask that does not make the test plugins group-writable.
umask 022

cmake -S . -B build -DNBAQ_WERROR=ON -DNBAQ_TEST_HOOKS=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

# The Debian packages, installed system-wide and removed again: as root,
# in CI (a throw-away machine) or when asked with NBAQ_TEST_INSTALL=1 (on
# a shared machine an installed nbaq is seen by everyone's tests).
if [ "${CI:-}" = true ] || [ "${NBAQ_TEST_INSTALL:-}" = 1 ]; then
    bash scripts/test-install.sh build-pkg
else
    echo "test.sh: package install test skipped (CI=true or NBAQ_TEST_INSTALL=1 runs it)"
fi

# CI only (they build nbaq again, about a minute each): the tests from a
# clone in a directory only root can enter, and a build without libpq.
if [ "${CI:-}" = true ]; then
    bash scripts/test-private-checkout.sh
    bash scripts/test-without-postgresql.sh build-nopg
fi

cmake -S . -B build-asan -DNBAQ_SANITIZE=ON -DNBAQ_TEST_HOOKS=ON \
    -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"

# The libFuzzer targets of fuzz/, 10 s each (docs/security.md).
bash scripts/fuzz.sh 10
