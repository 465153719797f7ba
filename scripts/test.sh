#!/usr/bin/env bash
# Every check planb has: formatting, lints, the Wasm API tests, the site build and its size budget,
# the native tests, and the browser tests in headless Chromium. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh browser validators
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo clippy --lib --locked --target wasm32-unknown-unknown --features import,node-cli -- -D warnings

# The Wasm API in Node, built with the size profile so it shares its dependencies with the site build.
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --locked --profile wasm-release --target wasm32-unknown-unknown --no-default-features --features page,import --test wasm_api
bash scripts/build-site.sh
node bench/sizes.mjs --check

# The tools' own validators over every snippet, first and uncaptured: their per-tool counts, or that
# they skipped (without ../shared/schemas), stay in the log.
cargo test --locked --test tool_validators -- --nocapture
cargo test --locked -- --skip every_snippet_of_the_matrix --skip each_validator_rejects
npm test
