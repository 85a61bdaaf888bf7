#!/usr/bin/env bash
# Run the whole test suite. Any arguments go to pytest (for example -k perceptron).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/environment.sh"
ensure_environment test
source "$(dirname "${BASH_SOURCE[0]}")/hub-deps.sh"
ensure_sandbox     # bubblewrap (and cgroup-tools): grading kernels run in its sandbox
ensure_chromium    # Debian's chromium for the browser tests (tests/test_browser.py)
prepare_hub_tests  # the course hub's environment, its proxy (tests/test_hub.py)
cd "$COURSE_ROOT"
# Groups start in the order tests/conftest.py sorts them into: the longest first.
exec python -m pytest -n "${TEST_WORKERS:-2}" --dist loadgroup --no-loadscope-reorder --durations=30 "$@"
