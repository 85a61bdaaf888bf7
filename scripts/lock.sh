#!/usr/bin/env bash
# Refresh requirements/lock.txt, the pins of the whole tree (course stack and the test and hub
# extras, for Python 3.11 to 3.13 on every platform), from pyproject.toml with uv:
#     bash scripts/lock.sh
# Run it after any change to pyproject.toml's dependencies; tests/test_install.py fails until then.
# Any arguments go to `uv pip compile` (for example --upgrade-package jupyterlab).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/environment.sh"
ensure_virtualenv
uv_pin="$(grep -oE '"uv==[^"]+"' "$COURSE_ROOT/pyproject.toml" | tr -d '"')"
if ! "$COURSE_VENV/bin/python" -m pip show uv 2>/dev/null | grep -qxF "Version: ${uv_pin#uv==}"; then
    "$COURSE_VENV/bin/python" -m pip install -q "$uv_pin"
fi
cd "$COURSE_ROOT"
# --no-config: no uv configuration of this machine reaches the lock; it is resolved on PyPI.
"$COURSE_VENV/bin/uv" pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
    --no-config --quiet \
    --custom-compile-command "bash scripts/lock.sh" -o requirements/lock.txt "$@"
"$COURSE_VENV/bin/python" scripts/lock_inputs.py pyproject.toml >> requirements/lock.txt
echo "requirements/lock.txt refreshed: $(grep -c '==' requirements/lock.txt) pinned packages."
