// Hostile input in a real browser (issue 7, item 3): a few hundred payloads (payloads.mjs) typed into
// every text field, loaded through permalinks, and imported as YAML and JSON files. Nothing may run
// (no dialog, `window.__pwned` stays unset, no CSP report: the suite's guards), the preview may hold
// no markup that user text produced, and every output shows the text literally, escaped by its
// format's rules.
import assert from "node:assert/strict";
import { inflateRawSync } from "node:zlib";
import { useSuite } from "./support.mjs";
import {
  ADD_BUTTON,
  PAYLOADS,
  TAB_FORMATS,
  TEXT_FIELDS,
  assignment,
  isBlank,
  linkForJson,
  previewMarkupProblems,
  shows,
  specWith,
  toYaml,
  typed,
  watchPage,
} from "./payloads.mjs";

const suite = useSuite();
const TABS = Object.keys(TAB_FORMATS);
const MULTILINE = new Set(["fallback.notes"]);

/** Filled in by the first test: the first example's spec, and which fields each tab shows. */
const known = { base: null, where: null };

/** A page watched for dialogs, injected script and long tasks, at `path`. */
async function openWatched(s, path = "") {
  const context = await s.newContext();
  await context.addInitScript({ content: `(${watchPage})(); window.__previewProblems = ${previewMarkupProblems};` });
  const dialogs = [];
  context.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  const { page } = await s.open(path, context);
  return { page, context, dialogs };
}

/** The visible tab's preview: its text as the test reads it, markup problems, and `__pwned`. */
function readPreview(page, kind) {
  return page.evaluate((kind) => {
    const preview = document.getElementById("preview");
    const node = kind === "article" ? preview.querySelector(":scope > article.plan") : kind === "svg" ? preview.querySelector("svg") : preview;
    const pres = preview.querySelectorAll("pre.source");
    return {
      text: node ? node.textContent : null,
      shape: kind === "pre" ? pres.length > 0 && !preview.querySelector("article, svg") : Boolean(node),
      problems: window.__previewProblems(),
      pwned: window.__pwned,
    };
  }, kind);
}

/** Asserts that nothing ran and the preview holds no markup from user text. */
function assertInert(state, dialogs, label) {
  assert.equal(state.pwned, undefined, `${label}: injected script ran (window.__pwned is set)`);
  assert.deepEqual(dialogs, [], `${label}: a dialog opened`);
  assert.deepEqual(state.problems, [], `${label}: the preview holds markup from user text`);
}

/** Types into each field as a user does (one `insertText` edit, what Playwright's fill() sends),
 * in the page, and returns what each field then holds. */
function typeAll(page, assigned) {
  return page.evaluate((assigned) => {
    const held = [];
    for (const { path, payload } of assigned) {
      const input = document.getElementById(`f-${path}`);
      input.focus();
      input.select();
      document.execCommand("insertText", false, payload);
      held.push(input.value);
    }
    return held;
  }, assigned);
}

/** Which text fields each tab shows at all, found with plain marker values. */
async function calibrate(page) {
  const markers = TEXT_FIELDS.map((path, i) => ({ path, payload: `Zq${i}marker` }));
  await typeAll(page, markers);
  const where = {};
  for (const tab of TABS) {
    await page.click(`#tab-${tab}`);
    const { text } = await readPreview(page, TAB_FORMATS[tab].kind);
    // Marker i must not be taken for marker i0…i9.
    where[tab] = markers.filter(({ payload }) => new RegExp(`${payload}(?!\\d)`).test(text ?? "")).map((m) => m.path);
  }
  await page.click("#tab-plan");
  return where;
}

/** Checks every tab for the payloads in `assigned` (a spec loaded from a link or a file). */
async function checkAllTabs(page, dialogs, assigned, label) {
  for (const tab of TABS) {
    const { kind, format } = TAB_FORMATS[tab];
    await page.click(`#tab-${tab}`);
    const state = await readPreview(page, kind);
    assert.ok(state.shape, `${label}, ${tab}: the preview has its usual shape (${kind})`);
    assertInert(state, dialogs, `${label}, ${tab}`);
    for (const { path, payload } of assigned) {
      if (!known.where[tab].includes(path)) continue;
      assert.ok(
        shows(format, state.text, payload),
        `${label}, ${tab}: ${path} does not show ${JSON.stringify(payload.slice(0, 120))} literally`,
      );
    }
  }
  await page.click("#tab-plan");
}

/** The payloads in groups of one per field, so that each goes into one spec. */
function groups() {
  const out = [];
  for (let start = 0; start < PAYLOADS.length; start += TEXT_FIELDS.length) {
    out.push(TEXT_FIELDS.map((path, j) => ({ path, payload: PAYLOADS[(start + j) % PAYLOADS.length] })));
  }
  return out;
}

/** What the form should hold for a spec's value: inputs drop line breaks, textareas keep them. */
function formValueFor(path, payload) {
  return MULTILINE.has(path) ? payload.replace(/\r\n?/g, "\n") : payload.replace(/[\r\n]/g, "");
}

async function formHolds(page, assigned, label) {
  const held = await page.evaluate(
    (paths) => paths.map((p) => document.getElementById(`f-${p}`)?.value ?? null),
    assigned.map((a) => a.path),
  );
  assigned.forEach(({ path, payload }, i) =>
    assert.equal(held[i], formValueFor(path, payload), `${label}: the form's ${path} holds the value`),
  );
}

suite.test("the payloads are many and varied, and every text field reaches the outputs", async (s) => {
  assert.ok(PAYLOADS.length >= 200, `${PAYLOADS.length} payloads`);
  assert.equal(new Set(PAYLOADS).size, PAYLOADS.length, "no payload twice");
  assert.deepEqual(PAYLOADS.filter(isBlank), [], "no payload is blank (the name must not be)");

  const { page, dialogs } = await openWatched(s);
  const hash = await page.evaluate(() => location.hash.slice(1));
  known.base = JSON.parse(inflateRawSync(Buffer.from(hash.replace(/^v1\./, ""), "base64url")).toString("utf8"));
  for (const path of Object.keys(ADD_BUTTON)) {
    assert.equal(await page.locator(`[id="f-${path}"]`).count(), 1, `the first example has a row for ${path}`);
  }
  known.where = await calibrate(page);
  const shown = new Set(Object.values(known.where).flat());
  // fallback.notes is the spec's old backout text: planb only checks it (PB002) and never prints it.
  assert.deepEqual(TEXT_FIELDS.filter((p) => !shown.has(p)), ["fallback.notes"], "fields no output shows");
  assert.deepEqual(
    TEXT_FIELDS.filter((p) => !known.where.plan.includes(p)),
    ["fallback.notes"],
    "fields the Plan tab does not show",
  );
  for (const tab of TABS) assert.ok(known.where[tab].length >= 5, `${tab} shows ${known.where[tab]}`);
  assertInert(await readPreview(page, "article"), dialogs, "calibration");
});

suite.test("every payload typed into every text field: nothing runs and the plan shows it literally", async (s, t) => {
  assert.ok(known.where, "the first test ran");
  const { page, dialogs } = await openWatched(s);
  for (let round = 0; round < PAYLOADS.length; round++) {
    const assigned = assignment(round);
    const held = await typeAll(page, assigned);
    assigned.forEach(({ path, payload }, i) =>
      assert.equal(held[i], typed(payload, MULTILINE.has(path)), `round ${round}: ${path} holds what was typed`),
    );
    const state = await readPreview(page, "article");
    assert.ok(state.text, `round ${round}: the plan is shown`);
    assertInert(state, dialogs, `round ${round}`);
    assert.equal(await page.locator("#error-banner").isHidden(), true, `round ${round}: no error`);
    assigned.forEach(({ path }, i) => {
      if (!known.where.plan.includes(path)) return;
      assert.ok(shows("text", state.text, held[i]), `round ${round}: the plan shows ${path} = ${JSON.stringify(held[i].slice(0, 120))}`);
    });
  }
  t.diagnostic(`${PAYLOADS.length} payloads × ${TEXT_FIELDS.length} fields typed`);
});

suite.test("payloads filled with Playwright's fill() give the same form and plan, in every tab", async (s) => {
  assert.ok(known.where, "the first test ran");
  const { page, dialogs } = await openWatched(s);
  // One payload per field, every field in turn; every 16th payload is checked in every tab.
  for (let i = 0; i < PAYLOADS.length; i++) {
    const path = TEXT_FIELDS[i % TEXT_FIELDS.length];
    const payload = PAYLOADS[i];
    await page.locator(`[id="f-${path}"]`).fill(payload);
    const held = await page.locator(`[id="f-${path}"]`).inputValue();
    assert.equal(held, typed(payload, MULTILINE.has(path)), `payload ${i}: ${path} holds what was filled`);
    if (i % 16 === 0) {
      await checkAllTabs(page, dialogs, [{ path, payload: held }], `payload ${i} in ${path}`);
    } else {
      const state = await readPreview(page, "article");
      assertInert(state, dialogs, `payload ${i} in ${path}`);
      if (known.where.plan.includes(path)) assert.ok(shows("text", state.text, held), `payload ${i}: the plan shows ${path}`);
    }
  }
});

suite.test("payloads in permalinks: nothing runs, and every tab shows them literally", async (s) => {
  assert.ok(known.base, "the first test ran");
  const { page, dialogs } = await openWatched(s);
  for (const [k, assigned] of groups().entries()) {
    const link = linkForJson(JSON.stringify(specWith(known.base, assigned)));
    await s.revisit(page, `#${link}`);
    const status = await page.evaluate(() => document.getElementById("status").classList.contains("alert") ? document.getElementById("status-text").textContent : null);
    assert.equal(status, null, `link ${k}: no alert`);
    await formHolds(page, assigned, `link ${k}`);
    await checkAllTabs(page, dialogs, assigned, `link ${k}`);
  }
});

for (const [format, mimeType, encode] of [
  ["yaml", "application/yaml", toYaml],
  ["json", "application/json", (spec) => JSON.stringify(spec, null, 2)],
]) {
  suite.test(`payloads in imported ${format.toUpperCase()} files: nothing runs, and every tab shows them literally`, async (s) => {
    assert.ok(known.base, "the first test ran");
    const { page, dialogs } = await openWatched(s);
    for (const [k, assigned] of groups().entries()) {
      const name = `hostile-${k}.${format}`;
      const text = encode(specWith(known.base, assigned));
      await page.setInputFiles("#import-file", { name, mimeType, buffer: Buffer.from(text) });
      await page.waitForFunction((n) => document.getElementById("status-text").textContent.includes(n), name);
      const status = await page.evaluate(() => ({
        alert: document.getElementById("status").classList.contains("alert"),
        text: document.getElementById("status-text").textContent,
      }));
      assert.deepEqual(status, { alert: false, text: `Imported ${name}.` }, `${name} is imported`);
      await formHolds(page, assigned, name);
      await checkAllTabs(page, dialogs, assigned, name);
    }
  });
}
