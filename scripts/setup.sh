#!/usr/bin/env bash
# Installs what planb needs and does not have yet. Safe to run any number of times.
set -euo pipefail

if ! command -v cargo >/dev/null 2>&1; then
  echo "planb needs a Rust toolchain (cargo); install one with rustup first." >&2
  exit 1
fi

if command -v rustup >/dev/null 2>&1; then
  installed_targets=$(rustup target list --installed)
  if ! grep -qx wasm32-unknown-unknown <<<"$installed_targets"; then
    echo "setup: adding the wasm32-unknown-unknown target" >&2
    rustup target add wasm32-unknown-unknown
  fi
  installed_components=$(rustup component list --installed)
  for component in rustfmt clippy; do
    if ! grep -q "^$component" <<<"$installed_components"; then
      echo "setup: adding the $component component" >&2
      rustup component add "$component"
    fi
  done
fi
