#!/usr/bin/env bash
# The main job: set up what is missing, build the page, and serve it on http://127.0.0.1:8080/.
# Usage: bash scripts/run.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build-site.sh
port=${1:-8080}
echo "planb: serving site/ with netlify.toml's headers; press Ctrl-C to stop." >&2
exec python3 scripts/serve.py --dir site --port "$port"
