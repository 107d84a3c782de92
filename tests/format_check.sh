#!/bin/sh
# Checks that hand-written C++ (*.cc, *.h) is formatted as .clang-format says.
#
#   tests/format_check.sh [DIR...]   (default: service storage clients tests)
#
# Build directories and generated code are skipped. Exits 1 and lists the
# files clang-format would change; 0 when there are none.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
clang_format=${CLANG_FORMAT:-clang-format}
command -v "$clang_format" >/dev/null 2>&1 || { echo "format_check: $clang_format not found" >&2; exit 2; }
[ $# -gt 0 ] || set -- service storage clients tests
bad=""
for dir in "$@"; do
  [ -e "$dir" ] || { echo "format_check: no such directory: $dir" >&2; exit 2; }
  files=$(find "$dir" \( -name build -o -name 'build-*' -o -name generated -o -name _deps \) -prune \
            -o -type f \( -name '*.cc' -o -name '*.h' \) ! -name '*.pb.h' ! -name '*.pb.cc' -print | sort)
  for f in $files; do
    "$clang_format" --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
  done
done
if [ -n "$bad" ]; then
  echo "format_check: not formatted (run clang-format -i on them):" >&2
  for f in $bad; do echo "  $f" >&2; done
  exit 1
fi
exit 0
