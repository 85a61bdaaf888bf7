#!/usr/bin/env bash
# Run the course for a class on JupyterHub, on this machine (see hub/README.md). As root:
#
#   bash scripts/hub.sh start                 start the hub in the background, print its address
#   bash scripts/hub.sh stop                  stop the hub, its proxy and everyone's servers
#   bash scripts/hub.sh status                is it running, and where
#   bash scripts/hub.sh add NAME...           put students on the roster; prints their passwords
#   bash scripts/hub.sh add --ta NAME...      the same for teaching assistants (no restart)
#   bash scripts/hub.sh password NAME...      new passwords for people on the roster
#   bash scripts/hub.sh prepare               install what the hub needs, without starting it
#   bash scripts/hub.sh python                the Python the hub's environment is made with
#
# Settings, as environment variables (defaults in brackets):
#   HUB_IP [127.0.0.1]  the address students reach; 0.0.0.0 for every interface
#   HUB_PORT [8000]  HUB_API_PORT [8081]  HUB_PROXY_API_PORT [8001]
#   HUB_STATE [hub/state]  the hub's database, secrets, roster, log and the nbgrader exchange
#   HUB_INSTRUCTOR [instructor]  the account that owns the course folder and the formgrader
#   HUB_COURSE_ID [intro-deep-learning]  HUB_DB_URL [SQLite in HUB_STATE]
#   HUB_VENV [hub/venv]  the course's environment for everyone, made with HUB_PYTHON
#   HUB_PYTHON [the newest python3.13, 3.12 or 3.11 that every user may run]
# Limits per student, their server and all its kernels together (hub/README.md):
#   HUB_LIMITS [auto]  systemd (jupyterhub-systemdspawner), cgroup (cgroup-tools, cgroup v1)
#                      or off; auto takes systemd where it is PID 1 on cgroup v2, else cgroup
#   HUB_MEM_LIMIT [2G]  HUB_CPU_LIMIT [1] (cores at most)  HUB_TASKS_MAX [512] (processes)
#   HUB_CULL_IDLE [3600]  seconds before an idle server is stopped (0: never)
#   HUB_CULL_EVERY [300]  how often to look  HUB_KERNEL_CULL_IDLE [1200]  idle kernels
set -euo pipefail
# The hub's own virtualenv with the course's packages, made with a Python that every user can
# run (the lab's .venv may use one that only its owner can): every server and kernel runs it.
COURSE_VENV="${HUB_VENV:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/hub/venv}"
source "$(dirname "${BASH_SOURCE[0]}")/environment.sh"
source "$(dirname "${BASH_SOURCE[0]}")/hub-deps.sh"

export COURSE_ROOT COURSE_VENV
export HUB_IP="${HUB_IP:-127.0.0.1}" HUB_PORT="${HUB_PORT:-8000}"
export HUB_API_PORT="${HUB_API_PORT:-8081}" HUB_PROXY_API_PORT="${HUB_PROXY_API_PORT:-8001}"
export HUB_STATE="${HUB_STATE:-$COURSE_ROOT/hub/state}"
export HUB_INSTRUCTOR="${HUB_INSTRUCTOR:-instructor}"
export HUB_COURSE_ID="${HUB_COURSE_ID:-intro-deep-learning}"
PID_FILE="$HUB_STATE/hub.pid"
LOG="$HUB_STATE/jupyterhub.log"
ROSTER="$HUB_STATE/roster.csv"

die() { echo "hub.sh: $*" >&2; exit 1; }

need_root() {
    [ "$(id -u)" = 0 ] || die "the hub gives every student an account of their own, so it runs" \
        "as root: sudo bash scripts/hub.sh $*"
}

hub_pid() {
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

public_url() {
    local host="$HUB_IP"
    [ "$host" = 0.0.0.0 ] && host="$(hostname -f 2>/dev/null || hostname)"
    echo "http://$host:$HUB_PORT"
}

roster() { python "$COURSE_ROOT/hub/roster.py" "$ROSTER" "$@"; }

# A Python the course supports (COURSE_PYTHONS, newest first) that users other than root can
# run, with venv (pyenv's, under /root, is not one).
everyone_runs() { runuser -u nobody -- "$1" -c "import venv" 2> /dev/null; }

shared_python() {
    local candidate version
    if [ -n "${HUB_PYTHON:-}" ]; then
        version="$(_python_version "$HUB_PYTHON")"
        case " $COURSE_PYTHONS " in
            *" $version "*) ;;
            *) die "HUB_PYTHON=$HUB_PYTHON is ${version:-not a working Python}; the course" \
                   "needs Python ${COURSE_PYTHONS// /, }." ;;
        esac
        everyone_runs "$HUB_PYTHON" || die "HUB_PYTHON=$HUB_PYTHON (Python $version) cannot be" \
            "run by other users, or lacks venv: every student's server runs it. Install one" \
            "where everyone may read it (/usr or /usr/local, with its venv module)."
        echo "$HUB_PYTHON"
        return 0
    fi
    for version in $COURSE_PYTHONS; do
        for candidate in "$(command -v "python$version" || true)" "/usr/bin/python$version" \
                "/usr/local/bin/python$version"; do
            if [ -n "$candidate" ] && [ "$(_python_version "$candidate")" = "$version" ] \
                    && everyone_runs "$candidate"; then
                echo "$candidate"
                return 0
            fi
        done
    done
    die "no Python ${COURSE_PYTHONS// /, } here that every user may run. On Debian:" \
        "apt-get install python3-venv (or set HUB_PYTHON)."
}

prepare() {
    mkdir -p "$HUB_STATE"
    chmod 711 "$HUB_STATE"
    if [ ! -x "$COURSE_VENV/bin/python" ]; then
        PYTHON="$(shared_python)"
        export PYTHON
    fi
    if [ -x "$COURSE_VENV/bin/jupyterhub" ]; then ensure_environment; else ensure_environment hub; fi
}

# Students' servers run the course's virtualenv and import helpers/ from this folder, so
# they can read it; close what they must not read: the solutions, git's history, course data.
protect_answers() {
    local name
    for name in solutions .git gradebook.db submitted autograded feedback release source \
                reports .grading; do
        [ -e "$COURSE_ROOT/$name" ] && chmod -R go-rwx "$COURSE_ROOT/$name"
    done
    if ! runuser -u nobody -- "$COURSE_VENV/bin/python" -c "import helpers, jupyterhub" \
            > /dev/null 2>&1; then
        die "other users cannot run the course's environment in $COURSE_VENV. Put the course" \
            "where everyone can read it (for example /srv or /opt), or let everyone through" \
            "each folder above it (chmod o+x), and start again."
    fi
    if runuser -u nobody -- test -r "$COURSE_ROOT/solutions"; then
        die "students could read $COURSE_ROOT/solutions; make it readable by its owner alone."
    fi
}

start() {
    need_root start
    if pid="$(hub_pid)"; then
        echo "The hub is already running (process $pid) at $(public_url)."
        return 0
    fi
    prepare
    ensure_proxy
    ensure_sandbox || die "grading on the hub runs submissions under bubblewrap: install it"
    protect_answers
    local people
    people="$(roster list)"  # read whole: under pipefail, `| grep -q` may fail on a closed pipe
    if ! grep -q "^$HUB_INSTRUCTOR," <<< "$people"; then
        echo "The instructor's login (keep it; \`bash scripts/hub.sh password $HUB_INSTRUCTOR\`" \
             "makes a new one):"
        roster add --role instructor "$HUB_INSTRUCTOR" | tail -n +2
    fi
    [ "${HUB_LIMITS:-auto}" = off ] || ensure_cgroup_tools ||
        die "the limits per student need cgroup-tools (or start with HUB_LIMITS=off)"
    echo "Starting JupyterHub (log: $LOG) ..."
    cd "$HUB_STATE"
    # The log and the hub's database (its users and hashed tokens) are root's alone, like the
    # roster; SQLite gives its journal the database file's permissions.
    touch "$LOG" && chmod 600 "$LOG"
    local log_start
    log_start=$(($(stat -c %s "$LOG") + 1))
    if [ -z "${HUB_DB_URL:-}" ]; then touch jupyterhub.sqlite && chmod 600 jupyterhub.sqlite; fi
    setsid jupyterhub -f "$COURSE_ROOT/hub/jupyterhub_config.py" >> "$LOG" 2>&1 < /dev/null &
    echo $! > "$PID_FILE"
    local probe="http://127.0.0.1:$HUB_PORT/hub/api/" deadline=$((SECONDS + 120))
    [ "$HUB_IP" != 0.0.0.0 ] && probe="http://$HUB_IP:$HUB_PORT/hub/api/"
    # The proxy answers 404 until the hub has registered its route: wait for a 200.
    until python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
            "$probe" 2> /dev/null; do
        if ! hub_pid > /dev/null; then
            tail -n 30 "$LOG" >&2
            die "JupyterHub stopped while starting; the whole log is in $LOG"
        fi
        [ $SECONDS -lt $deadline ] || { stop; die "JupyterHub did not answer within 120 s"; }
        sleep 0.5
    done
    tail -c "+$log_start" "$LOG" | grep -m1 "Limits per student" || true
    cat <<EOF
The course hub is running at $(public_url)
  Students open that address and log in with the name and password on the roster; the first
  login makes their account on this machine. Add students with:
      bash scripts/hub.sh add NAME...      (prints each new password to hand out)
  The instructor logs in as $HUB_INSTRUCTOR: the course folder is ~/$HUB_COURSE_ID, the
  formgrader is in the Nbgrader menu (or $(public_url)/user/$HUB_INSTRUCTOR/formgrader).
  Stop the hub with: bash scripts/hub.sh stop
EOF
}

# The hub's own servers and proxy, found by the hub API address in their environment (every
# user server and kernel has it) or by the proxy's API port on its command line.
leftovers() {
    local marker="JUPYTERHUB_API_URL=http://127.0.0.1:$HUB_API_PORT/hub/api" proc
    for proc in /proc/[0-9]*; do
        if { tr '\0' '\n' < "$proc/environ"; } 2>/dev/null | grep -qxF "$marker" ||
                { tr '\0' ' ' < "$proc/cmdline"; } 2>/dev/null |
                grep -q "configurable-http-proxy .*--api-port $HUB_PROXY_API_PORT "; then
            echo "${proc#/proc/}"
        fi
    done
}

# Servers the hub could not stop itself (one being culled as the hub stops, say) leave their
# cgroups behind: end what is in them and remove them (cgroup v1 and v2 layouts).
remove_leftover_cgroups() {
    local group attempt
    for group in /sys/fs/cgroup/*/course-hub/*/ /sys/fs/cgroup/course-hub/*/; do
        [ -d "$group" ] || continue
        for attempt in 1 2 3 4 5 6 7 8 9 10; do
            kill -KILL $(cat "$group/cgroup.procs" 2>/dev/null) 2>/dev/null || true
            rmdir "$group" 2>/dev/null && break
            sleep 0.3
        done
        [ -d "$group" ] && echo "Could not remove the cgroup $group: remove it by hand (rmdir) once it is empty." >&2
    done
    return 0
}

stop() {
    need_root stop
    local pid left deadline
    if pid="$(hub_pid)"; then
        echo "Stopping the hub (process $pid), its proxy and every running server ..."
        kill -TERM "$pid"
        deadline=$((SECONDS + 60))
        while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    else
        echo "The hub is not running."
    fi
    rm -f "$PID_FILE"
    left="$(leftovers)"
    if [ -n "$left" ]; then
        echo "Ending what the hub left running: processes $(echo $left)"
        kill -TERM $left 2>/dev/null || true
        sleep 2
        left="$(leftovers)"
        [ -z "$left" ] || kill -KILL $left 2>/dev/null || true
    fi
    remove_leftover_cgroups
    echo "The hub is stopped."
}

status() {
    local pid
    if pid="$(hub_pid)"; then
        echo "The hub is running (process $pid) at $(public_url); log: $LOG"
    else
        echo "The hub is not running."
    fi
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
    prepare) need_root prepare; prepare; ensure_proxy ;;
    python) need_root python; python="$(shared_python)"
            echo "$python (Python $(_python_version "$python"))" ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    add)
        need_root add; prepare
        role=student
        [ "${1:-}" = --ta ] && { role=ta; shift; }
        [ "${1:-}" = --instructor ] && { role=instructor; shift; }
        [ $# -gt 0 ] || die "whom? bash scripts/hub.sh add NAME..."
        roster add --role "$role" "$@"
        # A running hub learns of new assistants over its API: no restart.
        if [ "$role" = ta ] && hub_pid > /dev/null; then
            roster tell-hub --api "http://127.0.0.1:$HUB_API_PORT/hub/api" \
                --token-file "$HUB_STATE/roster-service-token" "$@"
        fi ;;
    password) need_root password; prepare; roster password "$@" ;;
    *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print } /^set -e/ { exit }' "${BASH_SOURCE[0]}"
       exit 2 ;;
esac
