#!/usr/bin/env bash
# Open the course in JupyterLab, on the student copies in lessons/, as a student sees it: the
# welcome page first, the Assignment List and Validate, no instructor panels.
#   bash scripts/lab.sh --instructor   (or COURSE_ROLE=instructor) adds the formgrader,
#                                      Create Assignment and the Course List
# Other arguments go to `jupyter lab` (for example --no-browser --port=8899).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/environment.sh"
role="${COURSE_ROLE:-student}"
lab_args=()
for arg in "$@"; do
    if [ "$arg" = --instructor ]; then role=instructor; else lab_args+=("$arg"); fi
done
case "$role" in
    student|instructor) ;;
    *) echo "COURSE_ROLE=$role: use student or instructor." >&2; exit 2 ;;
esac
ensure_environment
cd "$COURSE_ROOT"
# What each role sees: jupyter/README.md. Kernels import this folder's helpers/.
export JUPYTER_CONFIG_PATH="$COURSE_ROOT/jupyter/$role${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
export PYTHONPATH="$COURSE_ROOT${PYTHONPATH:+:$PYTHONPATH}"
first_page=()  # the welcome page, rendered (lab-settings/overrides.json)
[ "$role" = student ] && first_page=(--LabApp.default_url=/lab/tree/WELCOME.md
    "--LabApp.app_settings_dir=$COURSE_ROOT/jupyter/student/lab-settings")
allow_root=()
[ "$(id -u)" = 0 ] && allow_root=(--allow-root)  # JupyterLab refuses root without it
# ${a[@]+"${a[@]}"}: an empty array under `set -u` in macOS's bash 3.2 too
exec jupyter lab ${allow_root[@]+"${allow_root[@]}"} --ServerApp.root_dir="$COURSE_ROOT/lessons" \
    ${first_page[@]+"${first_page[@]}"} ${lab_args[@]+"${lab_args[@]}"}
