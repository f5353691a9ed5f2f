#!/usr/bin/env bash
# Benchmark: privlint check vs a parse-only pass (the floor) on a generated tree of mixed Rust
# and Python. Prints wall time, lines per second and peak memory (max RSS) of each.
# Usage: benches/scan.sh [TOTAL_LINES]   (default 200000)
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-200000}
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
python3 benches/gen_tree.py "$tree" "$lines"
cargo build --release --quiet --bin privlint --example parse_only
total=$(find "$tree" -name '*.rs' -o -name '*.py' | xargs cat | wc -l)
measure() {
  local label=$1; shift
  local best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$tree/.time" "$@" >/dev/null 2>&1 || true
    read -r secs kb < "$tree/.time"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; mem=$kb; fi
  done
  awk -v l="$label" -v s="$best" -v kb="$mem" -v n="$total" \
    'BEGIN{ printf "%-12s %8.2f s  %10.0f lines/s  peak %7.1f MiB\n", l, s, (s>0? n/s : 0), kb/1024 }'
}
echo "tree: $total lines"
measure "parse-only" target/release/examples/parse_only "$tree"
measure "check" target/release/privlint check "$tree" --format json --fail-on never
