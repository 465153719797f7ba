#!/usr/bin/env bash
# Fuzzes planb's inputs with cargo-fuzz (libFuzzer, nightly toolchain) for a bounded time each and
# prints how many inputs ran. Crashes land in fuzz/artifacts/<target>/; turn each into a test.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]    (default: 60 s; all targets)
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse_spec permalink render)

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: the nightly toolchain is needed (rustup toolchain install nightly)" >&2
  exit 1
fi
if [ "$(cargo fuzz --version 2>/dev/null | cut -d' ' -f2)" != "0.13.2" ]; then
  cargo install cargo-fuzz --version =0.13.2 --locked
fi

for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  log=$(mktemp)
  cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 2>"$log" || {
    tail -40 "$log" >&2
    echo "fuzz: $target FOUND A CRASH; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  }
  runs=$(grep -Eo '^#[0-9]+[[:space:]]+DONE' "$log" | grep -Eo '[0-9]+' | tail -1)
  echo "fuzz: $target: ${runs:-?} runs in ${seconds}s, no crash"
  rm -f "$log"
done
