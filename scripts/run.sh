#!/usr/bin/env bash
# The main job. Until the page exists, it builds the CLI and renders an example plan.
# Usage: bash scripts/run.sh [SPEC]   (default: examples/harness-canary-first-deploy.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cargo build --release --locked --quiet
spec=${1:-examples/harness-canary-first-deploy.yaml}
planb=target/release/planb

"$planb" render "$spec"
echo >&2
echo "── gaps in $spec ──" >&2
"$planb" check "$spec" >&2 || true
echo >&2
echo "Rendered $spec with $planb. Try: $planb render $spec --style brief --format text" >&2
