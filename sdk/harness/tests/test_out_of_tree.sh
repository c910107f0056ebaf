#!/usr/bin/env bash
# The out-of-tree example docs/examples/hello_check, built against the SDK
# that this build installs into a temporary prefix (components sdk and
# host: nbaq-plugin-test ships with the host), and its own unit tests
# (nbaq_add_plugin_test) run by ctest through the installed harness. Then
# a wrong expectation must fail, naming the field. scripts/test-install.sh
# does the same against the installed .deb packages.
set -euo pipefail
build=${NBAQ_BUILD_DIR:?} src=${NBAQ_SOURCE_DIR:?}
fail() { echo "test_out_of_tree: FAIL: $*" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for component in sdk host; do
    cmake --install "$build" --prefix "$work/prefix" --component "$component" \
        >/dev/null
done
[ -x "$work/prefix/bin/nbaq-plugin-test" ] || fail "nbaq-plugin-test not installed"
cp -r "$src/docs/examples/hello_check" "$work/hello"
cmake -S "$work/hello" -B "$work/hello/build" \
    -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/hello/build" >/dev/null
ctest --test-dir "$work/hello/build" --output-on-failure >"$work/pass.txt" 2>&1 ||
    { cat "$work/pass.txt" >&2; fail "hello_check's own tests"; }
grep -q "100% tests passed, 0 tests failed out of 2" "$work/pass.txt" ||
    fail "want 2 tests passed: $(cat "$work/pass.txt")"
grep -q "$work/prefix/bin/nbaq-plugin-test" \
    "$work/hello/build/CTestTestfile.cmake" ||
    fail "the tests do not use the installed nbaq-plugin-test"

# A test must be able to fail: 4 lines expected, 3 counted.
sed -i 's/"value": 3,/"value": 4,/' "$work/hello/tests/counts.json"
if ctest --test-dir "$work/hello/build" -R hello_check_counts \
    --output-on-failure >"$work/fail.txt" 2>&1; then
    fail "a wrong expectation passed"
fi
grep -q 'counts.json: \.metrics\[0\]\.value: expected 4, got 3' "$work/fail.txt" ||
    fail "the difference is not named: $(cat "$work/fail.txt")"
echo "test_out_of_tree: hello_check built against $work/prefix, its tests pass"
