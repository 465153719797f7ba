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
  // "Plan visible" is when the browser presented the first frame showing the plan: a script the
  // benchmark adds (not part of the page) marks each element put in #preview for Element Timing,
  // whose entries carry the time a frame with the element was presented. A first visit shows the
  // plan the site build put in the page; a returning visit, whose saved spec is another one, shows
  // it once planb has started and rendered it (the built-in example stays hidden meanwhile).
  const watch = () => {
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType !== 1 || !node.closest("#preview")) continue;
          for (const e of [node, ...node.querySelectorAll("*")]) e.setAttribute("elementtiming", "plan");
        }
      }
    }).observe(document, { childList: true, subtree: true });
  };
  const painted = () =>
    new Promise((resolve) => {
      const entries = [];
      new PerformanceObserver((list) => entries.push(...list.getEntries())).observe({ type: "element", buffered: true });
      setTimeout(() => {
        const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
        const wasm = performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm"));
        const plan = entries.filter((e) => e.identifier === "plan").map((e) => e.renderTime || e.loadTime);
        resolve({
          visible: plan.length ? Math.min(...plan) : NaN,
          paint: at("first-contentful-paint"),
          wasm: wasm?.responseEnd ?? NaN,
          start: at("planb:start"),
          ready: at("planb:saved"),
        });
      }, 50);
    });
  const visits = { first: [], returning: [] };
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext(); // fresh cache and storage: a first visit
    await context.addInitScript(watch);
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    visits.first.push(await page.evaluate(painted));
    // The same visitor comes back with another spec saved (assets cached, as a browser keeps them).
    const saved = await page.evaluate(() => localStorage.getItem("planb.spec.v1"));
    await page.locator("#presets").selectOption({ index: 2 });
    await page.waitForFunction((before) => localStorage.getItem("planb.spec.v1") !== before, saved);
    const again = await context.newPage();
    await page.close();
    await again.goto(url);
    await again.waitForSelector('body[data-ready="true"]');
    visits.returning.push(await again.evaluate(painted));
    await context.close();
  }
  for (const [visit, runs] of Object.entries(visits)) {
    const v = stats(runs.map((r) => r.visible));
    console.log(`\n== navigation to plan painted, ${visit} visit (${v.n} loads from localhost)`);
    console.log(`median ${ms(v.median)}, p95 ${ms(v.p95)}, min ${ms(v.min)}, max ${ms(v.max)}`);
    const m = (k) => ms(stats(runs.map((r) => r[k])).median);
    console.log(`phases (median, since navigation): first paint ${m("paint")}, wasm downloaded ${m("wasm")}, start() called ${m("start")}, planb ready ${m("ready")}`);
  }

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
