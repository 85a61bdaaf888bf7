# Sourced by lab.sh, test.sh and lock.sh: create or reuse the course's virtualenv and install
# the course from its lock.
#   ensure_environment [EXTRAS]  the virtualenv with the course installed (EXTRAS like "test")
#   ensure_virtualenv            the virtualenv only
# COURSE_VENV chooses another virtualenv folder; PYTHON another interpreter (default: the
# newest of Python 3.13, 3.12 and 3.11 found). COURSE_TORCH=cpu|cuda|auto: scripts/torch_source.py.

COURSE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COURSE_VENV="${COURSE_VENV:-$COURSE_ROOT/.venv}"
COURSE_LOCK="$COURSE_ROOT/requirements/lock.txt"
COURSE_PYTHONS="3.13 3.12 3.11"  # what pyproject.toml's requires-python accepts, newest first

_python_version() {  # "3.12" for a working interpreter, nothing otherwise
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

find_python() {
    local candidate version
    if [ -n "${PYTHON:-}" ]; then
        version="$(_python_version "$PYTHON")"
        case " $COURSE_PYTHONS " in
            *" $version "*) echo "$PYTHON"; return 0 ;;
        esac
        echo "PYTHON=$PYTHON is ${version:-not a working Python}; the course needs Python 3.11," \
             "3.12 or 3.13." >&2
        return 1
    fi
    for candidate in python3.13 python3.12 python3.11 python3; do
        command -v "$candidate" > /dev/null || continue
        version="$(_python_version "$candidate")"  # a pyenv shim of an inactive version fails
        case " $COURSE_PYTHONS " in
            *" $version "*) command -v "$candidate"; return 0 ;;
        esac
    done
    echo "Python 3.11, 3.12 or 3.13 was not found. On Debian or Ubuntu: sudo apt-get install" \
         "python3 python3-venv; elsewhere see https://www.python.org/downloads/ ." \
         "PYTHON=/path/to/python chooses one." >&2
    return 1
}

ensure_virtualenv() {
    if [ ! -x "$COURSE_VENV/bin/python" ]; then
        local python
        python="$(find_python)" || return 1
        echo "Creating the course's virtualenv in $COURSE_VENV with Python" \
             "$(_python_version "$python") ($python) ..."
        "$python" -m venv "$COURSE_VENV" || {
            echo "Could not create a virtualenv. On Debian or Ubuntu: sudo apt-get install" \
                 "python3-venv" >&2
            return 1
        }
    fi
}

_install_torch() {  # torch alone, from index $1 (empty: pip's default); its dependencies come later
    local python="$COURSE_VENV/bin/python" index="$1" pin installed
    pin="$(_torch_pin)"
    installed="$("$python" -c 'import importlib.metadata as m; print(m.version("torch"))' 2>/dev/null || true)"
    if [ -n "$index" ]; then
        [ "$installed" = "$pin+cpu" ] && return 0
        "$python" -m pip install --disable-pip-version-check --no-deps --timeout 60 \
            --index-url "$index" "torch==$pin+cpu"
    elif [ "${COURSE_TORCH:-auto}" = cuda ] && [ "$installed" = "$pin+cpu" ]; then
        "$python" -m pip install --disable-pip-version-check --no-deps --force-reinstall \
            --timeout 60 "torch==$pin"  # replaces the CPU build installed before
    fi
}

_torch_pin() {
    sed -n 's/^torch==\([^ ;]*\).*/\1/p' "$COURSE_LOCK"
}

ensure_environment() {
    local extras="${1:-}"
    ensure_virtualenv || return 1
    # Reinstall only when the lock, the extras or the torch choice changed since the last install.
    local spec="." stamp digest candidates
    [ -n "$extras" ] && spec=".[$extras]"
    stamp="$COURSE_VENV/.installed-$(printf '%s' "$extras" | tr -c 'a-z0-9' '_')"
    digest="$("$COURSE_VENV/bin/python" -c 'import hashlib, sys
print(hashlib.sha256(open(sys.argv[1], "rb").read() + sys.argv[2].encode()).hexdigest())' \
        "$COURSE_LOCK" "torch=${COURSE_TORCH:-auto}")"  # no sha256sum on macOS
    # The plain lab is also satisfied by an install with extras; extras need their own.
    candidates="$stamp"
    [ -z "$extras" ] && candidates="$COURSE_VENV/.installed-*"
    # shellcheck disable=SC2086
    if ! grep -qxF "$digest" $candidates 2>/dev/null; then
        echo "Installing the course and its pinned packages ($(_python_version "$COURSE_VENV/bin/python")," \
             "requirements/lock.txt; the first time takes a few minutes) ..."
        local index  # says on the terminal which torch build, and why
        index="$("$COURSE_VENV/bin/python" "$COURSE_ROOT/scripts/torch_source.py" "$(_torch_pin)")" ||
            return 1
        if ! { _install_torch "$index" && (cd "$COURSE_ROOT" && "$COURSE_VENV/bin/python" -m pip \
                install --disable-pip-version-check --timeout 60 -c "$COURSE_LOCK" -e "$spec"); } \
                > "$COURSE_VENV/install.log" 2>&1; then
            tail -n 30 "$COURSE_VENV/install.log" >&2
            echo "Installing failed; the whole log is in $COURSE_VENV/install.log" >&2
            return 1
        fi
        echo "$digest" > "$stamp"
    fi
    export PATH="$COURSE_VENV/bin:$PATH" VIRTUAL_ENV="$COURSE_VENV"
}
