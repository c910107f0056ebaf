#!/usr/bin/env bash
# The Debian packages, end to end, on this machine (root, a throw-away CI
# machine: it installs system-wide, then removes everything again):
#   builds nbaq and nbaq-dev with CPack (no tests, no test hooks),
#   installs them with dpkg -i, runs the demo config and --list-plugins
#   from the installed files, builds docs/examples/hello_check against the
#   installed nbaq-dev, runs its own unit tests (nbaq_add_plugin_test,
#   through the installed nbaq-plugin-test) and runs it in nbaq-host, then
#   purges both packages (on any exit)
#   and checks that nothing of them is left.
# Usage: scripts/test-install.sh [BUILD_DIR]   (default build-pkg)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-pkg}

fail() { echo "test-install: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "must run as root (it installs packages)"
for pkg in nbaq nbaq-dev; do
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q installed; then
        fail "$pkg is already installed; this test would remove it"
    fi
done
getent passwd nbaq >/dev/null && fail "a user nbaq exists already"
[ -e /etc/nbaq ] && fail "/etc/nbaq exists already"

cmake -S . -B "$build" -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF \
    -DNBAQ_BUILD_BENCHMARKS=OFF -DNBAQ_TEST_HOOKS=OFF -DNBAQ_WERROR=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB >/dev/null)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
arch=$(dpkg --print-architecture)
triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
deb="$build/packages/nbaq_${version}_${arch}.deb"
deb_dev="$build/packages/nbaq-dev_${version}_all.deb"
if [ ! -f "$deb" ] || [ ! -f "$deb_dev" ]; then
    fail "cpack made: $(ls "$build/packages")"
fi

work=$(mktemp -d)
cleanup() {
    dpkg -P nbaq-dev nbaq >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
dpkg -i "$deb" "$deb_dev" >/dev/null

# Where the files went.
plugins=/usr/lib/$triplet/nbaq/plugins
for f in /usr/bin/nbaq-host /usr/bin/nbaq-plugin-test \
    /usr/libexec/nbaq/nbaq-forkserver "$plugins/exec.so" "$plugins/text.so" \
    "/usr/lib/$triplet/cmake/nbaq-sdk/NbaqPluginTest.cmake" \
    /etc/nbaq/monitor.yaml /etc/nbaq/example/count_rows.sh \
    /usr/lib/systemd/system/nbaq.service /usr/include/nbaq.h \
    "/usr/lib/$triplet/pkgconfig/nbaq-sdk.pc" \
    "/usr/lib/$triplet/cmake/nbaq-sdk/nbaq-sdk-config.cmake"; do
    [ -e "$f" ] || fail "$f is not installed"
done
for so in "$plugins"/tp_*.so; do
    [ -e "$so" ] && fail "a test plugin is installed: $so"
done
grep -qx "ExecStart=/usr/bin/nbaq-host -c /etc/nbaq/monitor.yaml --daemon -v" \
    /usr/lib/systemd/system/nbaq.service || fail "nbaq.service: wrong ExecStart"
getent passwd nbaq >/dev/null || fail "postinst made no user nbaq"
[ "$(stat -c %U /var/lib/nbaq)" = nbaq ] || fail "/var/lib/nbaq is not nbaq's"
/usr/bin/nbaq-host --version | grep -qx "nbaq-host $version (plugin ABI ${version%.*})" ||
    fail "--version: $(/usr/bin/nbaq-host --version)"

# --list-plugins from the installed plugin directory, and only from there.
(cd "$work" && /usr/bin/nbaq-host --list-plugins) >"$work/plugins.txt"
for p in exec freshness json_validity object_count db_quality sql_metric \
    json text html; do
    grep -q "^$p (" "$work/plugins.txt" || fail "--list-plugins lacks $p"
done
grep -q "path: $plugins/exec.so" "$work/plugins.txt" ||
    fail "--list-plugins: exec is not the installed one"

# The demo config, copied out of /etc/nbaq (the run writes history.db and
# reports beside it): every check runs, the report names them all.
cp -r /etc/nbaq "$work/etc"
rc=0
/usr/bin/nbaq-host -c "$work/etc/monitor.yaml" >"$work/demo.txt" 2>&1 || rc=$?
[ "$rc" -le 2 ] || { cat "$work/demo.txt" >&2; fail "demo exited $rc"; }
while read -r check; do
    grep -q "$check" "$work/demo.txt" || fail "demo report lacks $check"
done < <(sed -n 's/^  - name: //p' "$work/etc/monitor.yaml")
[ -f "$work/etc/history.db" ] || fail "demo wrote no history"

# hello_check against the installed nbaq-dev, with CMake and pkg-config.
cp -r docs/examples/hello_check "$work/hello"
cmake -S "$work/hello" -B "$work/hello/build" >/dev/null
cmake --build "$work/hello/build" >/dev/null
ctest --test-dir "$work/hello/build" --output-on-failure >"$work/hello-tests.txt" 2>&1 ||
    { cat "$work/hello-tests.txt" >&2; fail "hello_check's own tests"; }
grep -q "/usr/bin/nbaq-plugin-test" "$work/hello/build/CTestTestfile.cmake" ||
    fail "hello_check's tests do not use the installed nbaq-plugin-test"
make -s -C "$work/hello" hello_check.so >/dev/null
for so in "$work/hello/build/hello_check.so" "$work/hello/hello_check.so"; do
    dir=$(dirname "$so")
    cp -n "$work/hello/monitor.yaml" "$dir/" # it counts its own lines
    out=$(/usr/bin/nbaq-host -c "$dir/monitor.yaml" --plugin-dir "$dir")
    lines=$(wc -l <"$work/hello/monitor.yaml")
    echo "$out" | grep -q "hello: monitor.yaml has $lines lines" ||
        fail "hello_check ($so): $out"
done

# Removal leaves the machine as it was.
cleanup
trap - EXIT
for f in /usr/bin/nbaq-host /usr/bin/nbaq-plugin-test /usr/libexec/nbaq \
    "/usr/lib/$triplet/nbaq" \
    /etc/nbaq /var/lib/nbaq \
    /usr/include/nbaq.h /usr/lib/systemd/system/nbaq.service; do
    [ -e "$f" ] && fail "$f is left after dpkg -P"
done
getent passwd nbaq >/dev/null && fail "the user nbaq is left after dpkg -P"
echo "test-install: packages $version built, installed, run and removed"
