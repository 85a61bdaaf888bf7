#!/usr/bin/env bash
# Open the course in JupyterLab, on the student copies in lessons/.
# Any arguments go to `jupyter lab` (for example --no-browser --port=8899).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/environment.sh"
ensure_environment
cd "$COURSE_ROOT"
allow_root=()
[ "$(id -u)" = 0 ] && allow_root=(--allow-root)  # JupyterLab refuses root without it
exec jupyter lab "${allow_root[@]}" --ServerApp.root_dir="$COURSE_ROOT/lessons" "$@"
