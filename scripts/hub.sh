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
# These are `course hub`'s commands (course/hub.py), run here with a Python the course supports
# (the hub's own environment may not exist yet). Their settings are HUB_* environment variables:
# `bash scripts/hub.sh --help` lists them with their defaults (hub/settings.py).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/environment.sh"
python="$(PYTHON='' find_python)"  # PYTHON is for the lab's environment; HUB_PYTHON the hub's
# The interpreter itself, not a pyenv shim (which would change PATH for the hub); -P: nothing
# from the current folder is imported.
python="$("$python" -c 'import sys; print(sys.executable)')"
exec "$python" -P -c 'import sys; sys.path.insert(0, sys.argv.pop(1))
from course.cli import main; main(["hub", *sys.argv[1:]])' "$COURSE_ROOT" "$@"
