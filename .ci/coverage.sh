#!/usr/bin/env bash
# Coverage of the numba kernels: run the kernel tests with NUMBA_DISABLE_JIT=1
# (the @jit functions execute as plain Python, so coverage.py sees every line)
# and print the coverage of skreg/_kernels.
#
# Usage: .ci/coverage.sh [extra pytest args]
# Env:   SKREG_COV_TESTS  test files to run (default: the kernel-exercising ones)
#        SKREG_COV_MIN    fail if the total _kernels coverage is below this %
set -euo pipefail
cd "$(dirname "$0")/.."

default_tests=""
for t in tests/test_linear_models.py tests/test_path.py \
         tests/test_mlp.py tests/test_optim.py; do
    [ -f "$t" ] && default_tests="$default_tests $t"
done
TESTS="${SKREG_COV_TESTS:-$default_tests}"

export NUMBA_DISABLE_JIT=1
export MPLBACKEND=Agg
report=$(mktemp)
trap 'rm -f "$report" .coverage.kernels' EXIT

# no -x: a failure must not hide the coverage of the kernels tested later
COVERAGE_FILE=.coverage.kernels python -m pytest -q -p no:cacheprovider \
    --cov=skreg._kernels --cov-report= \
    -o addopts="" $TESTS "$@" || status=$?
status=${status:-0}

COVERAGE_FILE=.coverage.kernels python -m coverage report -m \
    --include='*/skreg/_kernels/*' | tee "$report"
total=$(awk '/^TOTAL/ {gsub("%", "", $NF); print $NF}' "$report")
echo "skreg/_kernels coverage with NUMBA_DISABLE_JIT=1: ${total}%"
if [ -n "${SKREG_COV_MIN:-}" ] && awk -v t="$total" -v m="$SKREG_COV_MIN" \
        'BEGIN {exit !(t < m)}'; then
    echo "coverage ${total}% is below SKREG_COV_MIN=${SKREG_COV_MIN}%" >&2
    exit 1
fi
exit "$status"
