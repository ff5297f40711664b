#!/usr/bin/env bash
# The test command (README quick start, step 2; CI runs it through .ci/run): installs what is missing,
# builds with -Wall -Wextra -Wpedantic -Werror, runs every test (C++, C, Python, C#, CLI, packaging,
# format, docs), then builds again under AddressSanitizer + UndefinedBehaviorSanitizer and runs the
# suite there, then builds the libFuzzer targets with clang and fuzzes every reader and deserializer for
# a bounded time. Ends with one line "total: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
tools/bootstrap.sh || exit 1

jobs=$(nproc)
passed=0 failed=0 status=0
run_preset() {
  local preset=$1 log
  log=$(mktemp)
  echo "=== $preset: configure and build"
  if ! cmake --preset "$preset" >/dev/null || ! cmake --build --preset "$preset" -j "$jobs"; then
    echo "=== $preset: BUILD FAILED"
    failed=$((failed + 1)) status=1
    return
  fi
  echo "=== $preset: test"
  ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  # "100% tests passed, 0 tests failed out of 57"
  local line total bad
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    failed=$((failed + 1)) status=1
  else
    bad=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
    passed=$((passed + total - bad)) failed=$((failed + bad))
  fi
  rm -f "$log"
}

run_preset ci
run_preset asan
run_preset fuzz
echo "total: $passed passed, $failed failed"
exit $status
