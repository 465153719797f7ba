#!/usr/bin/env bash
# Builds N Markdown pages with Hugo (Debian's package) for comparison with `planb build` on N specs.
#   bash bench/ssg-compare.sh N WORKDIR
set -euo pipefail
n=$1
work=$2
site="$work/hugo-$n"
rm -rf "$site"
mkdir -p "$site/content/plans" "$site/layouts/_default"
printf 'baseURL = "http://localhost/"\ntitle = "plans"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' > "$site/hugo.toml"
printf '<!doctype html><title>{{ .Title }}</title>{{ .Content }}\n' > "$site/layouts/_default/single.html"
printf '<!doctype html><title>{{ .Title }}</title><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>\n' > "$site/layouts/_default/list.html"
page=$(target/release/planb render examples/harness-canary-first-deploy.yaml --format markdown)
for i in $(seq -w 1 "$n"); do
  printf -- '---\ntitle: "plan %s"\n---\n%s\n' "$i" "$page" > "$site/content/plans/plan-$i.md"
done
start=$(date +%s.%N)
hugo --quiet --source "$site" --destination "$site/public" >/dev/null
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
printf 'hugo %s:  %6d pages in %6.2fs = %7.0f pages/s (one HTML page each, Markdown already written)\n' \
  "$(hugo version | cut -d' ' -f2)" "$n" "$secs" "$(echo "$n / $secs" | bc -l)"
