#!/usr/bin/env bash
# Times `planb build` on N generated specs (default 1000 and 10000) and prints plans per second and
# peak memory; then the same number of pages built by an established static site generator
# (Zola or Hugo, when one is installed) for comparison. Prints figures; asserts nothing.
#   bash bench/build.sh [N ...]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
planb=target/release/planb
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

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

for n in "${@:-1000 10000}"; do
  for count in $n; do
    generate "$count" "$work/specs-$count"
    start=$(date +%s.%N)
    "$planb" build "$work/specs-$count" -o "$work/site-$count" >/dev/null
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc -l)
    printf 'planb build: %6d specs in %6.2fs = %7.0f plans/s on %d cores (5 files a plan + index), peak memory %s\n' \
      "$count" "$secs" "$(echo "$count / $secs" | bc -l)" "$(nproc)" "$(peak "$planb" build "$work/specs-$count" -o "$work/site-$count")"
    if command -v zola >/dev/null 2>&1 || command -v hugo >/dev/null 2>&1; then
      bash bench/ssg-compare.sh "$count" "$work" || true
    fi
  done
done
