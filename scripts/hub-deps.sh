# Sourced by hub.sh and test.sh: what the course hub and the browser tests need beyond Python.
#   ensure_proxy      configurable-http-proxy, pinned in hub/package-lock.json, into hub/node_modules
#   ensure_cgroup_tools  Debian's cgroup-tools, for the limits per student (hub/limits.py)
#   ensure_chromium   Debian's chromium at /usr/bin/chromium, for the browser tests
#   ensure_sandbox    bubblewrap and cgroup-tools, which grading runs submissions in
#   prepare_hub_tests all that tests/test_hub.py needs (the hub's environment too), for test.sh
# Both install only what is missing (npm and chromium from Debian's packages need root).

HUB_DEPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

_apt_install() {
    if [ "$(id -u)" != 0 ] || ! command -v apt-get > /dev/null; then
        echo "Please install $* (on Debian: sudo apt-get install $*) and run again." >&2
        return 1
    fi
    echo "Installing $* with apt-get ..."
    if ! { apt-get install -y -q "$@" || { apt-get update -q && apt-get install -y -q "$@"; }; } \
            > /tmp/course-apt-install.log 2>&1; then
        tail -n 20 /tmp/course-apt-install.log >&2
        echo "apt-get could not install $*; the log is in /tmp/course-apt-install.log" >&2
        return 1
    fi
}

ensure_proxy() {
    local hub="$HUB_DEPS_ROOT/hub"
    if [ -x "$hub/node_modules/.bin/configurable-http-proxy" ] &&
            cmp -s "$hub/package-lock.json" "$hub/node_modules/.package-lock.json.installed"; then
        return 0
    fi
    command -v npm > /dev/null || _apt_install nodejs npm || return 1
    echo "Installing configurable-http-proxy (hub/package-lock.json) into hub/node_modules ..."
    if ! (cd "$hub" && npm ci --no-audit --no-fund --loglevel=error) > /tmp/course-npm-ci.log 2>&1; then
        tail -n 20 /tmp/course-npm-ci.log >&2
        echo "npm ci failed in $hub; the log is in /tmp/course-npm-ci.log" >&2
        return 1
    fi
    cp "$hub/package-lock.json" "$hub/node_modules/.package-lock.json.installed"
}

ensure_sandbox() {  # bubblewrap runs every grading kernel; cgroup-tools (root) caps its tree
    command -v bwrap > /dev/null || _apt_install bubblewrap || return 1
    command -v cgcreate > /dev/null || [ "$(id -u)" != 0 ] || _apt_install cgroup-tools
}

ensure_cgroup_tools() {
    # Not needed where systemd runs the machine: jupyterhub-systemdspawner sets the limits.
    command -v cgexec > /dev/null || grep -qx systemd /proc/1/comm 2> /dev/null ||
        _apt_install cgroup-tools
}

ensure_chromium() {
    [ -x /usr/bin/chromium ] || _apt_install chromium
}

prepare_hub_tests() {
    if [ "$(id -u)" != 0 ]; then
        echo "Not root: the course hub's tests (tests/test_hub.py) will be skipped." >&2
        return 0
    fi
    bash "$HUB_DEPS_ROOT/scripts/hub.sh" prepare && ensure_chromium
}
