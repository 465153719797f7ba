#!/usr/bin/env bash
# Every check planb has: formatting, lints, the Wasm library build, then all tests.
# This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
# The library must build for the browser; the page (issue 3) builds on it.
cargo build --lib --locked --target wasm32-unknown-unknown
cargo test --locked
