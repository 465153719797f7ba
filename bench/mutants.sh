#!/usr/bin/env bash
# The mutation score of planb's logic (issue 25): how many small deliberate breakages of the code the
# behaviour tests catch. cargo-mutants (https://mutants.rs) mutates the modules named in
# .cargo/mutants.toml (or the files given), runs the tests named there for each mutant, and this prints
# caught / missed / unviable / timeout per file and the share of viable mutants caught.
#
#   bash bench/mutants.sh                        every module of .cargo/mutants.toml (about 1,100 mutants)
#   bash bench/mutants.sh src/plan/risk.rs       only these files (globs as cargo-mutants takes them)
#   bash bench/mutants.sh --iterate              only the mutants not caught by the last run
#   bash bench/mutants.sh --summary              print the last run's figures again, run nothing
#   bash bench/mutants.sh --missed               only the mutants the summary lists as missed now, in
#                                                whatever run they were missed (after new tests)
#   bash bench/mutants.sh --untested             only the mutants of the code as it is that no run
#                                                has tried (lines added or moved since)
#   bash bench/mutants.sh --jobs 2 …             two mutants at a time (cargo-mutants' jobserver still
#                                                caps the machine at one task a core)
#   bash bench/mutants.sh --tests 'lib errors' … a first pass with only these test targets (`lib` is
#                                                the library's own tests); then `--iterate` retries what
#                                                it missed with every target of .cargo/mutants.toml
#
# Long (several seconds a mutant on two cores), so not part of scripts/test.sh. Results stay in
# target/mutants/mutants.out; bench/mutants-survivors.txt lists the survivors known to be equivalent
# (they change nothing a user can observe), each with its reason, and the summary names any other.
set -euo pipefail
cd "$(dirname "$0")/.."

version=27.1.0
out=target/mutants
survivors=bench/mutants-survivors.txt

run=1
missed_only=0
jobs=1
args=()
files=()
tests=()
while [ $# -gt 0 ]; do
  case "$1" in
    --summary) run=0 ;;
    --iterate) args+=(--iterate) ;;
    --missed) missed_only=1; pick='s/^  \(src\/.*\)$/\1/p' ;;
    --untested) missed_only=1; pick='s/^  untried: \(src\/.*\)$/\1/p' ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift ;;
    --tests) read -ra tests <<<"${2:?--tests needs the test targets}"; shift ;;
    -*) echo "bench/mutants.sh: unknown option $1" >&2; exit 2 ;;
    *) files+=("$1") ;;
  esac
  shift
done

if [ "$run" = 1 ]; then
  if [ "$(cargo mutants --version 2>/dev/null | cut -d' ' -f2)" != "$version" ]; then
    echo "bench/mutants.sh: installing cargo-mutants $version (a few minutes, once)" >&2
    cargo install cargo-mutants --version "=$version" --locked
  fi
  mkdir -p "$out/runs"
  # Each run rewrites mutants.out, and --iterate retests only what is left: the lists of every
  # earlier run are kept in runs/, and the summary takes each mutant's latest outcome.
  if [ -f "$out/mutants.out/caught.txt" ]; then
    keep="$out/runs/$(date +%Y%m%dT%H%M%S)"
    mkdir -p "$keep"
    cp "$out"/mutants.out/*.txt "$keep"/
  fi
  if [ ${#files[@]} -gt 0 ] || [ ${#tests[@]} -gt 0 ]; then
    # cargo-mutants adds --file globs to the configuration's rather than replacing them: a copy of
    # the configuration names only the files and test targets asked for.
    python3 - .cargo/mutants.toml "$out/mutants.toml" "${#files[@]}" ${files[@]+"${files[@]}"} \
      ${tests[@]+"${tests[@]}"} <<'EOF'
import re, sys
config, copy, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files, tests = sys.argv[4:4 + n], sys.argv[4 + n:]
text = open(config, encoding="utf-8").read()
if files:
    globs = "examine_globs = [" + ", ".join('"%s"' % f for f in files) + "]"
    text = re.sub(r"examine_globs = \[[^\]]*\]", globs, text)
if tests:
    targets = ['"--lib"' if t == "lib" else '"--test", "%s"' % t for t in tests]
    text = re.sub(r"additional_cargo_args = \[[^\]]*\]", "additional_cargo_args = [" + ", ".join(targets) + "]", text)
open(copy, "w", encoding="utf-8").write(text)
EOF
    args+=(--config "$out/mutants.toml")
  fi
  if [ "$missed_only" = 1 ]; then
    # Each missed mutant's name as a regex of its own (cargo-mutants matches --re against `--list`).
    while IFS= read -r name; do
      args+=(--re "^$(printf '%s' "$name" | sed 's/[][\.^$*+?(){}|]/\\&/g')\$")
    done < <(bash "$0" --summary | sed -n "$pick")
    [ ${#args[@]} -gt 0 ] || { echo "bench/mutants.sh: nothing is missed" >&2; exit 0; }
  fi
  start=$(date +%s)
  # Exit 2 means some mutants were missed and 3 that some timed out: both are results, shown below.
  status=0
  cargo mutants --output "$out" --jobs "$jobs" ${args[@]+"${args[@]}"} || status=$?
  case "$status" in 0 | 2 | 3) ;; *) exit "$status" ;; esac
  echo "bench/mutants.sh: $(($(date +%s) - start)) s"
fi

python3 - "$out" "$survivors" <<'EOF'
import collections, glob, os, re, subprocess, sys

out, survivors_file = sys.argv[1], sys.argv[2]
runs = sorted(glob.glob(os.path.join(out, "runs", "*"))) + [os.path.join(out, "mutants.out")]
if not os.path.exists(os.path.join(runs[-1], "caught.txt")):
    sys.exit(f"bench/mutants.sh: no results in {runs[-1]}: run it without --summary first")

def key(line):
    """A mutant's name without its line and column, which move whenever the file above it changes."""
    return re.sub(r"^([^:]+):\d+:\d+:", r"\1:", line.strip())

# Each mutant's latest outcome. previously_caught.txt (written by --iterate) repeats what earlier
# runs caught, and unviable ones with it, so it is read only where no run recorded the mutant.
latest, previously = {}, set()
for run in runs:
    for kind in ["caught", "missed", "unviable", "timeout"]:
        path = os.path.join(run, kind + ".txt")
        if os.path.exists(path):
            for line in open(path, encoding="utf-8"):
                if line.strip():
                    latest[line.strip()] = kind
    path = os.path.join(run, "previously_caught.txt")
    if os.path.exists(path):
        previously.update(line.strip() for line in open(path, encoding="utf-8") if line.strip())
for name in previously - latest.keys():
    latest[name] = "caught"
# Only the mutants the code has now: an earlier run's outcome for a line that has since moved or gone
# is dropped (its mutant was tested again under its new name, or no longer exists).
listed = subprocess.run(["cargo", "mutants", "--list"], capture_output=True, text=True)
untested = []
if listed.returncode == 0:
    current = {line.strip() for line in listed.stdout.splitlines() if line.strip()}
    latest = {name: kind for name, kind in latest.items() if name in current}
    untested = sorted(current - latest.keys())
else:
    print("bench/mutants.sh: cargo mutants --list failed; earlier runs' outcomes are counted as they are")

counts = collections.defaultdict(collections.Counter)
for name, kind in latest.items():
    counts[name.split(":", 1)[0]][kind] += 1
missed = sorted(name for name, kind in latest.items() if kind == "missed")

explained = collections.Counter()
if os.path.exists(survivors_file):
    for line in open(survivors_file, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            explained[key(line.split("  # ", 1)[0])] += 1

columns = ["caught", "missed", "unviable", "timeout"]
print(f"{'file':32} " + " ".join(f"{c:>8}" for c in columns) + "   caught of viable")
total = collections.Counter()
for file in sorted(counts):
    c = counts[file]
    total.update(c)
    viable = c["caught"] + c["missed"] + c["timeout"]
    share = f"{100 * (c['caught'] + c['timeout']) / viable:5.1f}%" if viable else "    -"
    print(f"{file:32} " + " ".join(f"{c[k]:>8}" for k in columns) + f"   {share}")
viable = total["caught"] + total["missed"] + total["timeout"]
print(f"{'all':32} " + " ".join(f"{total[k]:>8}" for k in columns)
      + f"   {100 * (total['caught'] + total['timeout']) / max(viable, 1):5.1f}%")
print("(a timeout counts as caught: the mutant made a test hang, which a run notices)")

unexplained = []
for line in missed:
    if explained[key(line)] > 0:
        explained[key(line)] -= 1
    else:
        unexplained.append(line)
print(f"missed and explained in {survivors_file}: {len(missed) - len(unexplained)}; not explained: {len(unexplained)}")
for line in unexplained:
    print(f"  {line}")
# Mutants of the code as it is now that no run has tried (new or moved lines): --untested runs them.
by_file = collections.Counter(name.split(":", 1)[0] for name in untested)
print(f"not yet tried on the code as it is: {len(untested)}" + "".join(f"; {f}: {n}" for f, n in sorted(by_file.items())))
for line in untested:
    print(f"  untried: {line}")
EOF
