#!/usr/bin/env bash
# Times `planb build` on N generated specs (default 1000 and 10000) and prints plans per second and
# peak memory; then the same number of pages built by an established static site generator
# (Zola or Hugo, when one is installed) for comparison. Prints figures; asserts nothing.
#   RUNS=5 bash bench/build.sh [N ...]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
planb=target/release/planb
work=$(mktemp -d)

generate() { # generate N DIR: N specs varied from the examples
  python3 - "$1" "$2" <<'PY'
import json, os, sys
n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out, exist_ok=True)
tools = ["harness", "argo-rollouts", "flagger", "github-actions", "gitlab", "jenkins", "octopus", "codedeploy", "spinnaker", "argo-cd"]
for i in range(n):
    spec = {
        "component": {"name": f"service-{i:05d}", "owner_team": f"team-{i % 37}", "tier": ["critical", "high", "medium", "low"][i % 4],
                      "environment": "production", "version": f"1.{i % 10}.0"},
        "change": {"id": f"CHG{i:07d}", "window": {"start": "2026-12-03 20:00", "end": "2026-12-03 23:00", "timezone": "UTC"},
                   "approvers": ["CAB"]},
        "deployment": {"tool": tools[i % len(tools)], "platform": "kubernetes", "first_deployment": i % 3 != 0,
                       "namespace": f"ns-{i % 50}", "workload": f"deployment/service-{i:05d}"},
        "rollout": {"strategy": ["canary", "blue-green", "rolling"][i % 3], "steps": [10, 50, 100], "bake_time": "15m"},
        "kill_switches": [{"kind": "feature-flag", "flag_key": f"svc-{i}-enabled", "flag_system": "LaunchDarkly", "owner": "SRE", "takes_effect": "1m"}] if i % 4 else [],
        "data_changes": [{"description": f"add table t{i}", "kind": ["expand", "contract", "destructive"][i % 3], "backup_taken": True, "restore_tested": i % 2 == 0}],
        "verification": {"health_source": "prometheus", "analysis": "threshold", "fail_on_no_analysis": True,
                         "kpis": [{"metric": "http_5xx_ratio", "comparison": "above", "threshold": 1, "unit": "%", "duration": "5m"}]},
        "abort": {"decision_owner": "Incident lead", "decision_window": "10m"},
        "people": {"deployer": {"name": "Sam", "contact": "@sam"}, "incident_lead": {"name": "Dana", "contact": "@dana"}},
        "notifications": [{"on": "pipeline-failed", "channel": "slack", "target": "#oncall"}],
        "rehearsal": {"done": i % 2 == 0, "took": "12m"},
    }
    with open(os.path.join(out, f"spec-{i:05d}.json"), "w") as f:
        json.dump(spec, f)
PY
}

peak() { # peak RSS in MB of a command, from GNU time when present
  if [ -x /usr/bin/time ]; then /usr/bin/time -f "%M" "$@" 2> "$work/time" >/dev/null; echo "$(( $(tail -1 "$work/time") / 1024 )) MB"; else "$@" >/dev/null; echo "n/a (install GNU time)"; fi
}

# Machines here are shared and noisy: each build runs RUNS times (default 5) into a fresh folder,
# and the best and the median are printed. On a RAM disk (/dev/shm) the figure is planb's own;
# on the disk it includes the file system, whose cost varies with its state (ext4 slows down
# after many files were deleted in a short time).
runs=${RUNS:-5}
timed() { # timed SPECS OUT: "best median" seconds of $runs builds
  for _ in $(seq "$runs"); do
    rm -rf "$2"
    start=$(date +%s%N)
    "$planb" build "$1" -o "$2" >/dev/null
    echo $(( $(date +%s%N) - start ))
  done | sort -n | awk '{ t[NR] = $1 / 1e9 } END { printf "%.3f %.3f\n", t[1], t[int((NR + 1) / 2)] }'
  rm -rf "$2"
}

ram=""
[ -d /dev/shm ] && [ -w /dev/shm ] && ram=$(mktemp -d /dev/shm/planb-bench.XXXXXX)
trap 'rm -rf "$work" ${ram:+"$ram"}' EXIT

for count in "${@:-1000 10000}"; do
  generate "$count" "$work/specs-$count"
  for place in ${ram:+"$ram"} "$work"; do
    read -r best median < <(timed "$work/specs-$count" "$place/site-$count")
    where=$([ "$place" = "$ram" ] && echo "RAM disk" || echo "disk    ")
    printf 'planb build: %6d specs, %s: best %6.3fs = %5.0f plans/s, median %6.3fs = %5.0f plans/s (%d runs, %d cores)\n' \
      "$count" "$where" "$best" "$(echo "$count / $best" | bc -l)" "$median" "$(echo "$count / $median" | bc -l)" "$runs" "$(nproc)"
  done
  printf 'planb build: %6d specs: 5 files a plan + 7 index pages, peak memory %s\n' \
    "$count" "$(peak "$planb" build "$work/specs-$count" -o "$work/site-$count")"
  if command -v zola >/dev/null 2>&1 || command -v hugo >/dev/null 2>&1; then
    bash bench/ssg-compare.sh "$count" "$work" || true
  fi
done
