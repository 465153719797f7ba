// Page benchmark in headless Chromium: asset sizes, time from navigation to the plan being
// visible, and re-render time per input (median and p95). Prints figures; asserts nothing.
//   node bench/page.mjs [--loads 15] [--renders 500]
import { spawn } from "node:child_process";
import { once } from "node:events";
import { chromium } from "playwright-core";
import { measure, report } from "./sizes.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const loads = arg("--loads", 15);
const renders = arg("--renders", 500);
const root = new URL("..", import.meta.url).pathname;

const stats = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, median: at(0.5), p95: at(0.95), min: s[0], max: s[s.length - 1] };
};
const ms = (v) => `${v.toFixed(2)} ms`;

console.log("== sizes");
report(measure());

const server = spawn("python3", ["scripts/serve.py", "--dir", "site", "--port", "0"], { cwd: root });
const [firstLine] = await once(server.stdout, "data");
const url = firstLine.toString().trim();
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const phases = { wasm: [], start: [], engine: [], visible: [] };
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext(); // fresh cache and storage: a first visit
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    const t = await page.evaluate(() => {
      const at = (name) => performance.getEntriesByName(name)[0].startTime;
      const wasm = performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm"));
      return { wasm: wasm.responseEnd, start: at("planb:start"), engine: at("planb:engine-ready"), visible: at("planb:plan-visible") };
    });
    for (const k of Object.keys(phases)) phases[k].push(t[k]);
    await context.close();
  }
  const v = stats(phases.visible);
  console.log(`\n== navigation to plan visible (${v.n} cold loads from localhost)`);
  console.log(`median ${ms(v.median)}, p95 ${ms(v.p95)}, min ${ms(v.min)}, max ${ms(v.max)}`);
  const m = (k) => ms(stats(phases[k]).median);
  console.log(`phases (median, since navigation): wasm downloaded ${m("wasm")}, start() called ${m("start")}, engine ready ${m("engine")}, plan visible ${m("visible")}`);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  const durations = await page.evaluate((count) => {
    performance.clearMeasures("planb:render");
    const input = document.getElementById("f-component.description");
    for (let i = 0; i < count; i++) {
      input.value = `Card payments, revision ${i}`;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    return performance.getEntriesByName("planb:render").map((e) => e.duration);
  }, renders);
  const r = stats(durations);
  console.log(`\n== re-render per input, detailed HTML plan (${r.n} inputs)`);
  console.log(`median ${ms(r.median)}, p95 ${ms(r.p95)}, min ${ms(r.min)}, max ${ms(r.max)}`);
  console.log("(each input: save, parse, findings, plan, render, preview update, permalink)");
} finally {
  await browser.close();
  server.kill();
}
