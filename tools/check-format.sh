#!/usr/bin/env bash
# Fails when any C, C++ or C-header file of the repository differs from what clang-format (the
# repository's .clang-format) would write. Fix with: tools/check-format.sh --fix
set -euo pipefail
cd "$(dirname "$0")/.."
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' '*.cpp' '*.hpp' | grep -v '^build/')
else
  mapfile -t files < <(find include src capi cli tests bench examples -name '*.[ch]' -o -name '*.[ch]pp' 2>/dev/null)
fi
existing=()
for f in "${files[@]}"; do [ -f "$f" ] && existing+=("$f"); done
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${existing[@]}"
  exit 0
fi
clang-format --dry-run -Werror "${existing[@]}"
echo "clang-format: ${#existing[@]} files clean"
