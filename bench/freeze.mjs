// Freeze benchmark in headless Chromium: for each large input of the limits tests (a 1 MB spec,
// 1,000 KPIs, a 100 KB link, and the files and links past a limit: tests/browser/large.mjs), the
// longest task the page ran (Long Tasks API, observed from before the page's first script) and the
// longest animation frame (which also counts style, layout and paint: what a user feels, with the
// part of it that blocked input); and each pipeline fixture of tests/pipelines imported, the first
// time and again. planb means never to run a task over 100 ms (issue 7), nor over 50 ms while it
// imports a pipeline file (issue 18); a task over 100 ms is starred. Prints a table; asserts nothing (a busy machine stretches every figure).
//   node bench/freeze.mjs [--runs 3]      each case in that many fresh browser contexts (median and max)
//   node bench/freeze.mjs --pipelines     only the imports of pipeline files
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import {
  REFUSED_FILES,
  firstExample,
  forget,
  importFile,
  longestTask,
  oneMegabyteSpec,
  openPage,
  overLimitLink,
  randomSpec,
  thousandKpisSpec,
  tooManyValues,
  typeOneKey,
} from "../tests/browser/large.mjs";
import { linkForJson, toYaml, watchPage } from "../tests/browser/payloads.mjs";
import { ROOT, Session, launchBrowser, startServer } from "../tests/browser/support.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg("--runs", 1);
const pipelinesOnly = process.argv.includes("--pipelines");
const LIMIT_MS = 100;

/** A page recording its long tasks from its start (`warm`: after a first page in the same context). */
const open = (s, path = "", warm = false) => openPage(s, path, { warm, init: [watchPage] });

/** The first example's spec, from a page of its own. */
const base = async (s) => firstExample((await open(s)).page);

/** Opens a link to `spec` (made from the first example) with the cache warm; measures the start. */
const byLink = (name, spec) => async (s, measure) => {
  const { page } = await open(s, `#${linkForJson(JSON.stringify(spec(await base(s))))}`, true);
  await measure(name, page);
};

/** Imports a file (its text made from the first example) and measures it, then one keystroke with `typed`. */
const byImport = (name, file, text, typed) => async (s, measure) => {
  const { page } = await open(s);
  await importFile(page, file, text(await firstExample(page)));
  await measure(name, page);
  if (typed) {
    await forget(page);
    await typeOneKey(page);
    await measure(typed, page);
  }
};

/** The cases, in the order of tests/browser/limits.test.mjs; each calls `measure(name, page)` once done. */
const CASES = [
  async (s, measure) => {
    await measure("plain first visit", (await open(s)).page);
    await measure("plain load, warm cache", (await open(s, "", true)).page);
  },
  byImport("1 MB spec imported", "one-megabyte.yaml", (b) => `${toYaml(oneMegabyteSpec(b, "one-megabyte"))}\n`,
    "a keystroke in the 1 MB spec"),
  byLink("1 MB spec by permalink", (b) => oneMegabyteSpec(b, "one-megabyte-link")),
  byImport("1,000 KPIs imported", "thousand-kpis.json", (b) => JSON.stringify(thousandKpisSpec(b, "thousand-kpis"), null, 2),
    "a keystroke with 1,000 KPIs"),
  byLink("1,000 KPIs by permalink", (b) => thousandKpisSpec(b, "thousand-kpis-link")),
  byLink("100 KB permalink", randomSpec),
  async (s, measure) => {
    // As the test does: a saved spec, then a new page of the same browser opens the link.
    const first = await open(s);
    const link = overLimitLink(await firstExample(first.page));
    await first.page.close();
    const { page } = await s.open(`#${link}`, first.context);
    await measure("link past 1 MiB (refused)", page);
  },
  byImport("200,001 values imported (refused)", "many-values.json", (b) => JSON.stringify(tooManyValues(b))),
  byLink("200,001 values by permalink (refused)", tooManyValues),
  ...REFUSED_FILES.map(({ name, text, limit }) => byImport(`${limit} imported (refused)`, name, () => text)),
];

/** The pipeline fixtures as the import tests group them: a folder's files together, a file alone. */
function pipelineFixtures() {
  const root = join(ROOT, "tests/pipelines");
  const read = (path) => [basename(path), readFileSync(path, "utf8")];
  return readdirSync(root).sort().flatMap((tool) =>
    readdirSync(join(root, tool)).sort().map((entry) => {
      const path = join(root, tool, entry);
      const files = statSync(path).isDirectory() ? readdirSync(path).sort().map((f) => read(join(path, f))) : [read(path)];
      return [`${tool}/${entry}`, files];
    }),
  );
}

/** Imports pipeline files through the file input, as a user choosing them does. */
async function importPipeline(page, files) {
  await forget(page);
  await page.setInputFiles("#import-file", files.map(([name, text]) => ({ name, mimeType: "application/yaml", buffer: Buffer.from(text) })));
  await page.waitForFunction((n) => document.getElementById("status-text").textContent.startsWith(`Imported ${n}`), files[0][0], { timeout: 60_000 });
}

// Issue 18's goal: no task over 50 ms while pipeline files are imported, the first time (the importer's
// module is fetched and compiled) and once it is loaded.
const PIPELINE_CASES = pipelineFixtures().map(([name, files]) => async (s, measure) => {
    const { page } = await open(s);
    await importPipeline(page, files);
    await measure(`pipeline ${name} imported (loads the importer)`, page);
    await importPipeline(page, files);
    await measure(`pipeline ${name} imported again`, page);
});

const server = await startServer();
const browser = await launchBrowser();
const figures = new Map(); // case → [{ task, frame, blocking }, …]
try {
  for (let i = 0; i < runs; i++) {
    for (const play of pipelinesOnly ? PIPELINE_CASES : [...CASES, ...PIPELINE_CASES]) {
      const session = new Session({ url: server.url, origin: server.origin, browser });
      try {
        await play(session, async (name, page) => {
          if (!figures.has(name)) figures.set(name, []);
          figures.get(name).push(await longestTask(page));
        });
      } finally {
        await session.close();
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const cell = (values, star = false) => {
  const shown = (v) => `${v}${star && v > LIMIT_MS ? "*" : ""}`;
  return runs === 1 ? shown(values[0]) : `${shown(median(values))} (max ${shown(Math.max(...values))})`;
};
const rows = [...figures].map(([name, list]) => [
  name,
  cell(list.map((f) => f.task), true),
  cell(list.map((f) => f.frame)),
  cell(list.map((f) => f.blocking)),
]);
const header = ["case", "longest task (ms)", "longest animation frame (ms)", "of it blocking (ms)"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
console.log(`== longest task and animation frame per case (${runs === 1 ? "one run" : `median of ${runs} runs, and max`}; 0: none over 50 ms)`);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(`(* a task over ${LIMIT_MS} ms: longer than planb means ever to block the page)`);
