#!/usr/bin/env bash
# Runs privlint for the action: SARIF to a file, annotations (`--format github`) to standard
# output, a Markdown summary appended to $GITHUB_STEP_SUMMARY, and the exit code by fail-on.
# Inputs come only from the environment, never from `${{ }}` in the script:
#   INPUT_PATH (default .), INPUT_DATAMAP, INPUT_FAIL_ON (error|warning|never, default error),
#   INPUT_BASELINE, INPUT_BASE_REF, INPUT_ARGS (extra arguments, split on whitespace; no shell
#   expansion), RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY.
# Exit: 0 passed, 1 findings at or above fail-on, 2 privlint could not run.
set -uo pipefail

path="${INPUT_PATH:-.}"
fail_on="${INPUT_FAIL_ON:-error}"
case "$fail_on" in
  error | warning | never) ;;
  *)
    echo "::error title=privlint::fail-on must be error, warning or never, not '$fail_on'"
    exit 2
    ;;
esac

args=("$path")
[ -n "${INPUT_DATAMAP:-}" ] && args+=(--datamap "$INPUT_DATAMAP")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_BASE_REF:-}" ] && args+=(--diff-base "$INPUT_BASE_REF")
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<< "$INPUT_ARGS"
  args+=("${extra[@]}")
fi

sarif="${RUNNER_TEMP:-/tmp}/privlint.sarif"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
annotations="${RUNNER_TEMP:-/tmp}/privlint.annotations"

privlint check "${args[@]}" --format sarif --output "$sarif" --fail-on never
status=$?
if [ "$status" -ne 0 ]; then
  echo "::error title=privlint::privlint could not run (exit $status); see the log above"
  echo "privlint could not run (exit $status): see the job log." >> "$summary"
  exit 2
fi
privlint check "${args[@]}" --format github --fail-on never > "$annotations" || exit 2
cat "$annotations"
privlint check "${args[@]}" --format markdown --fail-on never >> "$summary" || exit 2
findings="$(grep -c '^::' "$annotations" || true)"

echo "sarif=$sarif" >> "${GITHUB_OUTPUT:-/dev/null}"
echo "findings=${findings:-0}" >> "${GITHUB_OUTPUT:-/dev/null}"

if [ "$fail_on" = never ]; then
  exit 0
fi
privlint check "${args[@]}" --format json --output "${RUNNER_TEMP:-/tmp}/privlint.json" --fail-on "$fail_on"
