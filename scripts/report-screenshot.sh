#!/usr/bin/env bash
# Renders the demo's record of processing in headless Chromium (Debian's `chromium` package)
# and writes the screenshots the README shows: docs/report-demo.png (a laptop screen) and
# docs/report-demo-phone.png (a phone). Run from the repository root:
#   scripts/report-screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser="$b"; break; fi
done
if [ -z "$browser" ]; then
  echo "error: no chromium found; on Debian or Ubuntu: apt-get install chromium" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A fixed date and commit, so the picture changes only when the report does.
SOURCE_DATE_EPOCH=1764460800 cargo run --quiet --release -- report fixtures/demo \
  --format html --repo-url https://github.com/dala/shop \
  --commit 0123456789abcdef0123456789abcdef01234567 -o "$work/record.html" </dev/null
shoot() { # width height output
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size="$1,$2" --screenshot="$3" \
    "file://$work/record.html" </dev/null >/dev/null 2>&1
  echo "wrote $3"
}
shoot 1200 1800 docs/report-demo.png
shoot 390 1400 docs/report-demo-phone.png
