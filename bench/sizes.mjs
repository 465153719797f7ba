// Prints every shipped asset of site/ raw / gzip -9 / brotli -q 11 and the total; with --check,
// exits 1 when the brotli total passes the budget in bench/budget.json. Sizes are deterministic.
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

export function report(rows) {
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const line = (name, r) => `${name.padEnd(34)} ${String(r.raw).padStart(9)} ${String(r.gzip).padStart(9)} ${String(r.brotli).padStart(9)}`;
  console.log(line("asset (bytes)", { raw: "raw", gzip: "gzip", brotli: "brotli" }));
  for (const r of rows) console.log(line(r.file, r));
  console.log(line("total", total));
  return total;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const total = report(measure());
  if (process.argv.includes("--check")) {
    const budget = JSON.parse(readFileSync(join(root, "bench/budget.json"), "utf8"));
    const ok = total.brotli <= budget.brotli_total_bytes;
    console.log(`brotli total ${total.brotli} B, budget ${budget.brotli_total_bytes} B (target ${budget.target_bytes} B): ${ok ? "within" : "OVER"}`);
    process.exit(ok ? 0 : 1);
  }
}
