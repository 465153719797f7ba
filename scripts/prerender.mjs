// Builds the first example's plan into a page (src/wasm/app/prerender.rs), with the very Wasm module
// the page runs, so a first visit sees a plan at the first paint.
//   node scripts/prerender.mjs PKG_DIR PAGE   (rewrites PAGE in place, through a temporary file)
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pkg, page] = process.argv.slice(2);
if (!pkg || !page) {
  console.error("usage: node scripts/prerender.mjs PKG_DIR PAGE");
  process.exit(2);
}
const planb = await import(pathToFileURL(resolve(pkg, "planb.js")));
planb.initSync({ module: readFileSync(join(pkg, "planb_bg.wasm")) });
const filled = planb.prerender(readFileSync(page, "utf8"));
writeFileSync(`${page}.tmp`, filled);
renameSync(`${page}.tmp`, page);
