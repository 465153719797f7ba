#!/usr/bin/env bash
# Fuzzes planb's inputs with cargo-fuzz (libFuzzer, nightly toolchain) for a bounded time each and
# prints how many inputs ran. Crashes land in fuzz/artifacts/<target>/; turn each into a test.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]    (default: 60 s; all targets)
#   RUNS=10000000 bash scripts/fuzz.sh 0 [TARGET...]          (a fixed number of inputs, no time limit)
#   SANITIZER=none …   (no AddressSanitizer: planb has no unsafe code, and inputs run 2-3 times faster;
#                       built in its own folder, so it can run beside an AddressSanitizer run)
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

sanitizer=(--sanitizer "${SANITIZER:-address}")
[ "${SANITIZER:-address}" = address ] || sanitizer+=(--target-dir "target/$SANITIZER")

for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  log=$(mktemp)
  cargo +nightly fuzz run "${sanitizer[@]}" "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -runs="${RUNS:--1}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 2>"$log" || {
    tail -40 "$log" >&2
    echo "fuzz: $target FOUND A CRASH; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  }
  summary=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
  echo "fuzz: $target: ${summary:-?}, no crash"
  rm -f "$log"
done
