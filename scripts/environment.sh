# Sourced by lab.sh and test.sh: create or reuse the course's virtualenv and install the course.
# Usage: ensure_environment [EXTRAS]   (EXTRAS like "test"; empty for the lab alone)
# COURSE_VENV chooses another virtualenv folder; PYTHON another interpreter (default python3.11).

COURSE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COURSE_VENV="${COURSE_VENV:-$COURSE_ROOT/.venv}"

ensure_environment() {
    local extras="${1:-}" python="${PYTHON:-}"
    if [ -z "$python" ]; then
        python="$(command -v python3.11 || command -v python3 || true)"
    fi
    if [ ! -x "$COURSE_VENV/bin/python" ]; then
        if [ -z "$python" ]; then
            echo "Python 3.11 was not found. On Debian: sudo apt-get install python3 python3-venv" >&2
            return 1
        fi
        case "$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" in
            3.11) ;;
            *) echo "The course needs Python 3.11; $python is $("$python" --version 2>&1)." \
                    "Set PYTHON=/path/to/python3.11 and run again." >&2; return 1 ;;
        esac
        echo "Creating the course's virtualenv in $COURSE_VENV ..."
        "$python" -m venv "$COURSE_VENV" || {
            echo "Could not create a virtualenv. On Debian: sudo apt-get install python3-venv" >&2
            return 1
        }
    fi
    # Reinstall only when pyproject.toml (or the extras asked for) changed since the last install.
    local spec="." stamp
    [ -n "$extras" ] && spec=".[$extras]"
    stamp="$COURSE_VENV/.installed-$(printf '%s' "$extras" | tr -c 'a-z0-9' '_')"
    local digest
    digest="$(sha256sum "$COURSE_ROOT/pyproject.toml" | cut -d' ' -f1)"
    # The plain lab is also satisfied by an install with extras; extras need their own.
    local candidates="$stamp"
    [ -z "$extras" ] && candidates="$COURSE_VENV/.installed-*"
    if ! grep -qxF "$digest" $candidates 2>/dev/null; then
        echo "Installing the course and its pinned packages (the first time takes a few minutes) ..."
        if ! (cd "$COURSE_ROOT" && "$COURSE_VENV/bin/python" -m pip install --disable-pip-version-check \
                -e "$spec" > "$COURSE_VENV/install.log" 2>&1); then
            tail -n 30 "$COURSE_VENV/install.log" >&2
            echo "Installing failed; the whole log is in $COURSE_VENV/install.log" >&2
            return 1
        fi
        echo "$digest" > "$stamp"
    fi
    export PATH="$COURSE_VENV/bin:$PATH" VIRTUAL_ENV="$COURSE_VENV"
}
