// Makes wasm-pack's package (target/pkg) the npm package with a `planb` command for Node: copies
// npm/planb.mjs beside the module and names it in package.json's `bin` and `files`.
//   node scripts/npm-package.mjs PKG_DIR
import { copyFileSync, chmodSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const pkg = process.argv[2];
if (!pkg) {
  console.error("usage: node scripts/npm-package.mjs PKG_DIR");
  process.exit(2);
}
copyFileSync(new URL("../npm/planb.mjs", import.meta.url), join(pkg, "planb.mjs"));
chmodSync(join(pkg, "planb.mjs"), 0o755);
const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
manifest.bin = { planb: "planb.mjs" };
manifest.files = [...new Set([...(manifest.files ?? []), "planb.mjs"])];
// Node 20 and later: the command uses ES modules and `fs` alone.
manifest.engines = { node: ">=20" };
writeFileSync(join(pkg, "package.json.tmp"), `${JSON.stringify(manifest, null, 2)}\n`);
renameSync(join(pkg, "package.json.tmp"), join(pkg, "package.json"));
