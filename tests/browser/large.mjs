// Large input (issue 7, item 4), shared by the limits tests (tests/browser/limits.test.mjs), which
// check what the page does with it, and the freeze benchmark (bench/freeze.mjs), which measures how
// long the page's longest task and animation frame take meanwhile: the specs, files and links at or
// past planb's limits, and the helpers that open the page, feed it one of them and wait until it is
// done.
import assert from "node:assert/strict";
import { inflateRawSync } from "node:zlib";
import { field, formValues } from "./support.mjs";
import { linkForJson, randomText, randomWords, seeded, watchPage } from "./payloads.mjs";

export const MIB = 1 << 20;
export const ONE_MB = 1_000_000;

// ---------------------------------------------------------------------------------------------
// The inputs.

export const bigDescription = randomWords(seeded(7), ONE_MB);

export const kpis = Array.from({ length: 1000 }, (_, i) => ({
  metric: `kpi_${String(i).padStart(4, "0")}_error_ratio`,
  comparison: i % 2 ? "above" : "below",
  threshold: (i % 97) + 0.5,
  unit: "%",
  duration: `${1 + (i % 30)}m`,
}));

/** `base` (the first example) named `name`, with a 1 MB description. */
export function oneMegabyteSpec(base, name) {
  const spec = structuredClone(base);
  spec.component.name = name;
  spec.component.description = bigDescription;
  return spec;
}

/** `base` named `name`, with 1,000 KPIs. */
export function thousandKpisSpec(base, name) {
  const spec = structuredClone(base);
  spec.component.name = name;
  spec.verification.kpis = kpis;
  return spec;
}

/** A spec whose link is at least 100 KB: random text that deflate cannot shrink, over many fields. */
export function randomSpec(base) {
  const r = seeded(11);
  const spec = structuredClone(base);
  spec.component.name = "random-ish";
  spec.component.description = randomText(r, 60_000);
  spec.people.stakeholders = Array.from({ length: 300 }, () => ({
    name: randomText(r, 60),
    contact: `${randomText(r, 40)}@example.com`,
  }));
  spec.verification.kpis = Array.from({ length: 100 }, () => ({ metric: randomText(r, 100), comparison: "above", threshold: 1 }));
  return spec;
}

/** A link whose spec expands past 1 MiB (it compresses to a few kilobytes). */
export function overLimitLink(base) {
  const spec = structuredClone(base);
  spec.component.description = "x".repeat(MIB);
  return linkForJson(JSON.stringify(spec));
}

/** 200,001 values: a list of numbers where the spec has a list of steps. */
export const tooManyValues = (base) => ({ ...base, rollout: { ...base.rollout, steps: Array(200_001).fill(10) } });

/** A YAML alias bomb ("billion laughs"): ten levels of nine, 9^10 values once expanded. */
function aliasBomb() {
  const lines = ["component:", "  name: laughs", 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i <= 9; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(", ")}]`);
  return `${lines.join("\n")}\n`;
}

/** 100 levels of nesting, as YAML block mappings or as JSON lists. */
function deepYaml(levels) {
  const lines = ["component:", "  name: deep", "fallback:"];
  for (let i = 1; i < levels; i++) lines.push(`${"  ".repeat(i)}notes${i}:`);
  lines.push(`${"  ".repeat(levels)}bottom`);
  return `${lines.join("\n")}\n`;
}
const deepJson = (levels) =>
  `{"component": {"name": "deep"}, "abort": {"triggers": ${"[".repeat(levels)}"bottom"${"]".repeat(levels)}}}`;

/** A mapping of `n` keys under `fallback`: every key is checked against those before it for a duplicate. */
const manyKeysYaml = (n) =>
  `component:\n  name: many-keys\nfallback:\n${Array.from({ length: n }, (_, i) => `  k${i}: ${i}\n`).join("")}`;
const manyKeysJson = (n) =>
  `{"component": {"name": "many-keys"}, "fallback": {${Array.from({ length: n }, (_, i) => `"k${i}": ${i}`).join(", ")}}}`;

const TOO_MANY = /document has more than 200000 values; nothing was changed\.$/;
const TOO_DEEP = /nesting deeper than 64 levels; nothing was changed\.$/;

/** Files past a limit of the reader: { name, text, limit (what it is), refusal (the message's end) }. */
export const REFUSED_FILES = [
  { name: "alias-bomb.yaml", text: aliasBomb(), limit: "YAML alias bomb", refusal: TOO_MANY },
  { name: "many-keys.yaml", text: manyKeysYaml(100_000), limit: "YAML mapping of 100,000 keys", refusal: TOO_MANY },
  { name: "many-keys.json", text: manyKeysJson(100_000), limit: "JSON mapping of 100,000 keys", refusal: TOO_MANY },
  { name: "deep.yaml", text: deepYaml(100), limit: "100 levels of YAML", refusal: TOO_DEEP },
  { name: "deep.json", text: deepJson(100), limit: "100 levels of JSON", refusal: TOO_DEEP },
];

// ---------------------------------------------------------------------------------------------
// Driving the page.

/**
 * A page at `path` of a new browser context of session `s` (support.mjs), with the init scripts
 * `init` (watchPage, tracePage: payloads.mjs) running from before the page's first script. With
 * `warm`, the page is the second one of its context, so what it costs is that of `path` rather than
 * of the first download and compilation of planb (a new page, not a navigation of the same one:
 * Chromium then reports no long task at all).
 */
export async function openPage(s, path = "", { warm = false, init = [] } = {}) {
  const context = await s.newContext();
  for (const script of init) await context.addInitScript(script);
  if (warm) {
    const { page: first } = await s.open("", context);
    await first.close();
  }
  const { page } = await s.open(path, context);
  if (init.includes(watchPage)) {
    assert.notEqual(await page.evaluate(() => window.__longTasks), null, "the browser reports long tasks");
  }
  return { page, context };
}

/**
 * Waits until the page has finished what it started (a long form's rows are added a batch per task,
 * with the form `aria-busy` meanwhile) and has rendered a frame since.
 */
export async function settle(page) {
  await page.waitForSelector("#spec-form:not([aria-busy])", { timeout: 60_000 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

/**
 * The longest task and the longest animation frame since `forget` (0 when none passed 50 ms), once
 * the page has settled; needs `watchPage`.
 */
export async function longestTask(page) {
  await settle(page);
  // Only what started after `forget`: an observer reports a task after it ends, so a task of the
  // caller's own (reading a 1 MB field back) could otherwise be counted against the next case.
  const { tasks, frames } = await page.evaluate(() => {
    window.__reportLongTasks();
    const since = (e) => e.start >= (window.__since ?? 0);
    return { tasks: window.__longTasks.filter(since), frames: (window.__longFrames ?? []).filter(since) };
  });
  const max = (list, key) => Math.round(Math.max(0, ...list.map((e) => e[key])));
  return { task: max(tasks, "duration"), frame: max(frames, "duration"), blocking: max(frames, "blocking") };
}

/** Forgets the long tasks and the trace recorded so far (whichever the page records). */
export const forget = (page) =>
  page.evaluate(() => {
    window.__since = performance.now();
    window.__reportLongTasks?.();
    if (window.__longTasks) window.__longTasks.length = 0;
    if (window.__longFrames) window.__longFrames.length = 0;
    if (window.__trace) window.__trace.length = 0;
  });

/** The first example's spec, from the permalink the page puts in the address bar. */
export async function firstExample(page) {
  const hash = await page.evaluate(() => location.hash.slice(1));
  return JSON.parse(inflateRawSync(Buffer.from(hash.replace(/^v1\./, ""), "base64url")).toString("utf8"));
}

/** The status line: { shown, alert, text }. */
export function status(page) {
  return page.evaluate(() => ({
    shown: !document.getElementById("status").hidden,
    alert: document.getElementById("status").classList.contains("alert"),
    text: document.getElementById("status-text").textContent,
  }));
}

/** Everything a refused input must leave as it was. */
export function snapshot(page) {
  return Promise.all([
    formValues(page),
    page.evaluate(() => ({
      hash: location.hash,
      storage: JSON.stringify({ ...localStorage }),
      preview: document.getElementById("preview").innerHTML,
      undo: document.getElementById("undo").hidden,
    })),
  ]);
}

/**
 * Imports a file and waits for the status line to name it; resolves to the status.
 *
 * The file is made in the page first, and what is recorded is forgotten when it is chosen: making
 * a 1 MB file from the caller's bytes costs the page over 100 ms of script (Playwright's
 * `setInputFiles` decodes them there), which a person choosing a file never pays.
 */
export async function importFile(page, name, text) {
  const type = name.endsWith(".json") ? "application/json" : "application/yaml";
  await page.evaluate(({ name, text, type }) => {
    window.__file = new File([text], name, { type });
  }, { name, text, type });
  await forget(page);
  await page.evaluate(() => {
    const input = document.getElementById("import-file");
    const chosen = new DataTransfer();
    chosen.items.add(window.__file);
    input.files = chosen.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await page.waitForFunction((n) => document.getElementById("status-text").textContent.includes(n), name, { timeout: 60_000 });
  return status(page);
}

/**
 * Types one more character at the end of the component's name, as a user would, and waits for the
 * plan to show it and then for the address bar to get its link (saving and the link follow typing
 * once it pauses).
 */
export async function typeOneKey(page) {
  const name = field(page, "component.name");
  const before = { name: await name.inputValue(), hash: await page.evaluate(() => location.hash) };
  await name.press("End");
  await name.press("x");
  await page.waitForFunction(
    (n) => document.querySelector("#preview article.plan h1")?.textContent === `Fallback plan: ${n}`,
    `${before.name}x`,
  );
  await page.waitForFunction((h) => location.hash !== h, before.hash, { timeout: 60_000 });
}
