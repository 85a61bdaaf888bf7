#!/usr/bin/env bash
# Run the whole test suite. Any arguments go to pytest (for example -k perceptron).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/environment.sh"
ensure_environment test
ensure_chromium
cd "$COURSE_ROOT"
exec python -m pytest -n "${TEST_WORKERS:-2}" --dist loadgroup "$@"
