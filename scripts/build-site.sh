#!/usr/bin/env bash
# Builds the page (its Wasm modules and the site to publish, site/) and the npm package (target/pkg:
# the JavaScript API, the importer and the `planb` command for Node).
# Netlify runs this same script (netlify.toml).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
if ! command -v node >/dev/null 2>&1; then
  echo "the site build needs Node.js: it builds the first example's plan into the page with planb's Wasm module" >&2
  exit 1
fi
page_pkg=target/pkg-page
wasm-pack build --target web --profile wasm-release --no-opt --out-dir "$page_pkg" --out-name planb --no-pack >&2
python3 scripts/wasm_strip.py "$page_pkg/planb_bg.wasm"
# The pipeline importer: a module of its own, which the page loads on the first pipeline file (src/wasm/mod.rs).
importer=target/pkg-import
wasm-pack build --target web --profile wasm-release --no-opt --out-dir "$importer" --out-name planb_import \
  --no-pack -- --no-default-features --features import >&2
python3 scripts/wasm_strip.py "$importer/planb_import_bg.wasm"
# The npm package: the same engine with the importer and the command line for Node (src/wasm/cli.rs).
pkg=target/pkg
wasm-pack build --target web --profile wasm-release --no-opt --out-dir "$pkg" --out-name planb \
  -- --features import,node-cli >&2
python3 scripts/wasm_strip.py "$pkg/planb_bg.wasm"
node scripts/npm-package.mjs "$pkg"

# Assemble site/ in a temporary folder and swap it in, so a failed build never leaves half a site.
tmp=$(mktemp -d site.tmp.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/assets" "$tmp/schema"

hashed() { # hashed FILE NAME EXT -> copies FILE to assets/NAME.<hash>.EXT and prints the new name
  local h
  h=$(sha256sum "$1" | cut -c1-12)
  cp "$1" "$tmp/assets/$2.$h.$3"
  echo "$2.$h.$3"
}

wasm=$(hashed "$page_pkg/planb_bg.wasm" planb_bg wasm)
glue=$(hashed "$page_pkg/planb.js" planb js)
importer_wasm=$(hashed "$importer/planb_import_bg.wasm" planb_import_bg wasm)
importer_glue=$(hashed "$importer/planb_import.js" planb_import js)
css=$(hashed www/style.css style css)
boot=$(hashed www/boot.js boot js)
plan_css=$(hashed templates/plan/plan.css plan css)
sed -e "s|\./planb\.js|./$glue|" -e "s|\./planb_bg\.wasm|./$wasm|" \
  -e "s|\./planb_import\.js|./$importer_glue|" -e "s|\./planb_import_bg\.wasm|./$importer_wasm|" www/main.js > "$tmp/main.js"
main=$(hashed "$tmp/main.js" main js)
rm "$tmp/main.js"
for page in index.html embed.html; do
  sed -e "s|assets/style\.css|assets/$css|" -e "s|assets/plan\.css|assets/$plan_css|" -e "s|assets/main\.js|assets/$main|" -e "s|assets/boot\.js|assets/$boot|" \
    -e "s|assets/planb\.js|assets/$glue|" -e "s|assets/planb_bg\.wasm|assets/$wasm|" "www/$page" > "$tmp/$page"
done
# The first example's plan, built into the editor by the same Wasm module (src/wasm/app/prerender.rs).
node scripts/prerender.mjs "$page_pkg" "$tmp/index.html"
cp schema/spec.schema.json "$tmp/schema/spec.schema.json"

# The service worker lists this build's assets; its cache is named after them.
assets=$(cd "$tmp" && find assets -type f | sort | sed 's|^|"./|; s|$|"|' | paste -sd, -)
version=$(cd "$tmp" && find assets -type f | sort | sha256sum | cut -c1-12)
sed -e "s|__VERSION__|$version|" -e "s|__ASSETS__|[$assets]|" www/sw.js > "$tmp/sw.js"

rm -rf site
mv "$tmp" site
trap - EXIT
chmod 755 site
echo "built site/ ($(find site -type f | wc -l) files) and $pkg" >&2
