#!/usr/bin/env bash
# Writes a small file of numbered lines and reports its path as the output 'file'.
set -euo pipefail
name="unnamed"
count=1
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
out="${WEFT_TMP:-/tmp}/prepare-$name.txt"
: > "$out"
for i in $(seq 1 "$count"); do
  echo "$name line $i" >> "$out"
done
echo "wrote $count lines to $out"
if [ -n "${WEFT_OUTPUT:-}" ]; then
  echo "file=$out" >> "$WEFT_OUTPUT"
fi
