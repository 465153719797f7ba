// Prints every shipped asset of site/ raw / gzip -9 / brotli -q 11: first what a first visit loads,
// with its total, then the pipeline importer, which the page loads the first time it is given a
// pipeline file (and the service worker stores, after the start, for offline use). With --check,
// exits 1 when either brotli total passes its budget in bench/budget.json. Sizes are deterministic.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const root = new URL("..", import.meta.url).pathname;
const site = join(root, "site");

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

export function measure() {
  // What a first visit transfers: the pages and the assets they load (the schema is for editors).
  const shipped = files(site).filter((f) => !f.includes("/schema/")).sort();
  return shipped.map((path) => {
    const data = readFileSync(path);
    return {
      file: relative(site, path),
      raw: data.length,
      gzip: gzipSync(data, { level: 9 }).length,
      brotli: brotliCompressSync(data, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
      }).length,
    };
  });
}

/** Whether a file is the pipeline importer's module, which a first visit does not load (www/main.js). */
export const isImporter = (row) => row.file.includes("planb_import");

export function report(rows, title = "asset (bytes)") {
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const line = (name, r) => `${name.padEnd(40)} ${String(r.raw).padStart(9)} ${String(r.gzip).padStart(9)} ${String(r.brotli).padStart(9)}`;
  console.log(line(title, { raw: "raw", gzip: "gzip", brotli: "brotli" }));
  for (const r of rows) console.log(line(r.file, r));
  console.log(line("total", total));
  return total;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = measure();
  const total = report(rows.filter((r) => !isImporter(r)), "first visit (bytes)");
  console.log();
  const importer = report(rows.filter(isImporter), "on the first pipeline file (bytes)");
  if (process.argv.includes("--check")) {
    const budget = JSON.parse(readFileSync(join(root, "bench/budget.json"), "utf8"));
    const checks = [
      ["first visit", total.brotli, budget.brotli_total_bytes],
      ["pipeline importer", importer.brotli, budget.importer_brotli_bytes],
    ];
    let ok = true;
    for (const [what, size, limit] of checks) {
      const within = size > 0 && size <= limit;
      ok &&= within;
      console.log(`${what}: brotli ${size} B, budget ${limit} B: ${within ? "within" : size > 0 ? "OVER" : "MISSING"}`);
    }
    console.log(`(target for a first visit: ${budget.target_bytes} B)`);
    process.exit(ok ? 0 : 1);
  }
}
