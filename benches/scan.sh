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
# Runs each pass RUNS times, alternating, so drift in the machine's speed hits both alike;
# reports the best and the median wall time, lines per second and peak memory of each.
RUNS=${RUNS:-7}
: > "$tree/.parse"; : > "$tree/.check"; : > "$tree/.phases"
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M %U %S" -a -o "$tree/.parse" target/release/examples/parse_only "$tree" >/dev/null 2>&1
  PRIVLINT_TIMINGS=1 /usr/bin/time -f "%e %M %U %S" -a -o "$tree/.check" target/release/privlint check "$tree" --format json --fail-on never 2>>"$tree/.phases" >/dev/null || true
done
report() {
  sort -n "$2" | awk -v l="$1" -v n="$total" '
    { s[NR] = $1; m[NR] = $2; cpu += $3 + $4 }
    END {
      med = s[int((NR + 1) / 2)]
      printf "%-12s best %6.2f s (%8.0f lines/s)  median %6.2f s (%8.0f lines/s)  cpu %5.2f s/run  peak %6.1f MiB\n",
        l, s[1], n / s[1], med, n / med, cpu / NR, m[1] / 1024
    }'
}
echo "tree: $total lines, $RUNS runs each"
report "parse-only" "$tree/.parse"
report "check" "$tree/.check"
paste <(sort -n "$tree/.parse") <(sort -n "$tree/.check") | awk '
  { p[NR] = $1; c[NR] = $5; pc += $3 + $4; cc += $7 + $8 }
  END {
    m = int((NR + 1) / 2)
    printf "check / parse-only: best %.2fx, median %.2fx, cpu %.2fx\n", c[1] / p[1], c[m] / p[m], cc / pc
  }'
# Where the check's time goes, phase by phase (`PRIVLINT_TIMINGS`): the median of each.
awk '/^timing:/ { n[$2]++; v[$2, n[$2]] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++k] = $2 } }
  END {
    printf "check phases (median ms):"
    for (i = 1; i <= k; i++) {
      p = order[i]; m = n[p]
      for (a = 1; a <= m; a++) x[a] = v[p, a] + 0
      for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (x[b] < x[a]) { t = x[a]; x[a] = x[b]; x[b] = t }
      printf " %s %.0f", p, x[int((m + 1) / 2)]
    }
    print ""
  }' "$tree/.phases"
