#!/usr/bin/env bash
# Installs privlint for the action: the binary already on PATH when it is the action's
# version, else the release binary of the action's ref for this runner, verified against its
# published SHA-256. When there is none, says so (`method=cargo`) and the action builds from
# its own source. Inputs come only from the environment:
#   PRIVLINT_REF       the action's ref (github.action_ref), e.g. v0.2.0
#   PRIVLINT_REPO      the action's repository (github.action_repository), e.g. owner/privlint
#   PRIVLINT_VERSION   the version the action's source declares (from Cargo.toml)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_PATH (set by the runner)
set -euo pipefail

out() { echo "$1" >> "${GITHUB_OUTPUT:-/dev/null}"; }

if command -v privlint > /dev/null 2>&1; then
  have="$(privlint --version 2> /dev/null | awk '{print $2}')"
  if [ -n "${PRIVLINT_VERSION:-}" ] && [ "$have" = "$PRIVLINT_VERSION" ]; then
    echo "privlint $have is already on PATH"
    out "method=path"
    exit 0
  fi
fi

case "${RUNNER_OS:-}-${RUNNER_ARCH:-}" in
  Linux-X64) target=x86_64-unknown-linux-gnu ;;
  Linux-ARM64) target=aarch64-unknown-linux-gnu ;;
  macOS-X64) target=x86_64-apple-darwin ;;
  macOS-ARM64) target=aarch64-apple-darwin ;;
  Windows-X64) target=x86_64-pc-windows-msvc ;;
  *) target="" ;;
esac

ref="${PRIVLINT_REF:-}"
if [ -z "$target" ] || [ -z "$ref" ] || [ -z "${PRIVLINT_REPO:-}" ]; then
  echo "no prebuilt binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?} at ref '${ref}': building from source"
  out "method=cargo"
  exit 0
fi
case "$target" in
  *windows*) asset="privlint-${target}.zip" ;;
  *) asset="privlint-${target}.tar.gz" ;;
esac
base="https://github.com/${PRIVLINT_REPO}/releases/download/${ref}"
dir="${RUNNER_TEMP:-/tmp}/privlint-bin"
mkdir -p "$dir"
if ! curl -fsSL --retry 3 -o "$dir/$asset" "$base/$asset" \
  || ! curl -fsSL --retry 3 -o "$dir/$asset.sha256" "$base/$asset.sha256"; then
  echo "no release asset $asset for $ref: building from source"
  out "method=cargo"
  exit 0
fi
expected="$(awk '{print $1}' "$dir/$asset.sha256")"
if command -v sha256sum > /dev/null 2>&1; then
  actual="$(sha256sum "$dir/$asset" | awk '{print $1}')"
else
  actual="$(shasum -a 256 "$dir/$asset" | awk '{print $1}')"
fi
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
  echo "::error title=privlint install::$asset does not match its published SHA-256 (expected $expected, got $actual)"
  exit 1
fi
case "$asset" in
  *.zip) unzip -oq "$dir/$asset" -d "$dir" ;;
  *) tar -xzf "$dir/$asset" -C "$dir" ;;
esac
echo "$dir" >> "${GITHUB_PATH:-/dev/null}"
echo "installed $asset (sha256 $actual)"
out "method=binary"
