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
} from "./payloads.mjs";

const suite = useSuite();
const TABS = Object.keys(TAB_FORMATS);
const MULTILINE = new Set(["fallback.notes"]);

/** Per browser context: the requests in flight, and a promise of none (see `openWatched`). */
const IDLE = new WeakMap();

/** Filled in by the first test: the first example's spec, and which fields each tab shows. */
const known = { base: null, where: null };

/**
 * A page at `path` whose dialogs are recorded (and dismissed), with `window.__previewProblems()`
 * to look for markup in the preview. On the bare address, the list fields get a first row if the
 * first example has none.
 */
async function openWatched(s, path = "") {
  const context = await s.newContext();
  await context.addInitScript({ content: `window.__previewProblems = ${previewMarkupProblems};` });
  const dialogs = [];
  context.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  // The requests in flight, for `assertNothingRanLater`.
  const inflight = new Set();
  const waiting = [];
  context.on("request", (r) => inflight.add(r));
  for (const done of ["requestfinished", "requestfailed"]) {
    context.on(done, (r) => {
      inflight.delete(r);
      if (inflight.size === 0) waiting.splice(0).forEach((resolve) => resolve());
    });
  }
  IDLE.set(context, { inflight, idle: () => (inflight.size === 0 ? Promise.resolve() : new Promise((r) => waiting.push(r))) });
  const { page } = await s.open(path, context);
  if (path === "") {
    for (const [fieldPath, button] of Object.entries(ADD_BUTTON)) {
      if ((await page.locator(`[id="f-${fieldPath}"]`).count()) === 0) await page.click(button);
    }
  }
  return { page, context, dialogs };
}

/** How the test reads each tab's preview. */
const KINDS = Object.fromEntries(TABS.map((tab) => [tab, TAB_FORMATS[tab].kind]));

/**
 * One step in the page: types `assigned` ([{ path, payload }]) into the form with the `typeOn` tab
 * showing, then shows each of `tabs` in turn and reads its preview. Typing is one `insertText`
 * edit per field, what Playwright's fill() sends; done here, in one round trip, because fill()
 * costs about 90 ms a call on the test machines and the matrix has thousands of values.
 * Resolves to { held: what each field then holds, read: { tab: { text, shape, problems } },
 * pwned: window.__pwned, error: the error banner's text or null }.
 */
function step(page, { assigned = [], typeOn = null, tabs = [] }) {
  return page.evaluate(
    ({ assigned, typeOn, tabs, kinds }) => {
      const show = (tab) => document.getElementById(`tab-${tab}`).click();
      if (typeOn) show(typeOn);
      const held = assigned.map(({ path, payload }) => {
        const input = document.getElementById(`f-${path}`);
        input.focus();
        input.select();
        document.execCommand("insertText", false, payload);
        return input.value;
      });
      const read = {};
      for (const tab of tabs) {
        show(tab);
        const preview = document.getElementById("preview");
        const kind = kinds[tab];
        const node =
          kind === "article"
            ? preview.querySelector(":scope > article.plan")
            : kind === "svg"
              ? preview.querySelector(":scope > svg")
              : preview;
        const pres = preview.querySelectorAll("pre.source").length;
        read[tab] = {
          text: node ? node.textContent : null,
          shape: kind === "pre" ? pres > 0 && !preview.querySelector("article, svg") : Boolean(node),
          selected: document.getElementById(`tab-${tab}`).getAttribute("aria-selected") === "true",
          problems: window.__previewProblems(),
        };
      }
      const banner = document.getElementById("error-banner");
      return { held, read, pwned: window.__pwned, error: banner.hidden ? null : banner.textContent };
    },
    { assigned, typeOn, tabs, kinds: KINDS },
  );
}

/** Asserts that nothing ran, no error is shown, and each tab read holds no markup from user text. */
function assertInert(result, dialogs, label) {
  assert.equal(result.pwned, undefined, `${label}: injected script ran (window.__pwned is set)`);
  assert.deepEqual(dialogs, [], `${label}: a dialog opened`);
  assert.equal(result.error, null, `${label}: the page shows an error`);
  for (const [tab, read] of Object.entries(result.read)) {
    assert.ok(read.selected && read.shape, `${label}, ${tab}: the tab shows its usual preview (${KINDS[tab]})`);
    assert.deepEqual(read.problems, [], `${label}, ${tab}: the preview holds markup from user text`);
  }
}

/** Asserts that each tab read shows each value of `assigned` that the tab shows at all. */
function assertShown(result, assigned, label) {
  for (const [tab, read] of Object.entries(result.read)) {
    for (const { path, payload } of assigned) {
      if (!known.where[tab].includes(path)) continue;
      assert.ok(
        shows(TAB_FORMATS[tab].format, read.text, payload),
        `${label}, ${tab}: ${path} does not show ${JSON.stringify(payload.slice(0, 120))} literally`,
      );
    }
  }
}

/**
 * Script from an event handler would run later (an image's error event, once its request fails; a
 * focus or toggle event, in a task of its own): wait until no request of the page is in flight, every
 * image in it has loaded or failed, and a frame and a task have passed, then look again.
 */
async function assertNothingRanLater(page, dialogs, label) {
  const { inflight, idle } = IDLE.get(page.context());
  let timer;
  const stuck = new Promise((resolve) => (timer = setTimeout(resolve, 10_000, "stuck")));
  const outcome = await Promise.race([idle(), stuck]);
  clearTimeout(timer);
  assert.notEqual(outcome, "stuck", `${label}: requests still in flight: ${[...inflight].map((r) => r.url())}`);
  await page.waitForFunction(() => [...document.images].every((image) => image.complete));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `${label}: injected script ran`);
  assert.deepEqual(dialogs, [], `${label}: a dialog opened`);
}

/** Which text fields each tab shows at all, found with plain marker values. */
async function calibrate(page, dialogs) {
  const markers = TEXT_FIELDS.map((path, i) => ({ path, payload: `Zq${i}marker` }));
  const result = await step(page, { assigned: markers, tabs: TABS });
  assertInert(result, dialogs, "calibration");
  const where = {};
  for (const tab of TABS) {
    // Marker i must not be taken for marker i0…i9.
    const text = result.read[tab].text ?? "";
    where[tab] = markers.filter(({ payload }) => new RegExp(`${payload}(?!\\d)`).test(text)).map((m) => m.path);
  }
  await page.click("#tab-plan");
  return where;
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
  for (const path of TEXT_FIELDS) assert.equal(await page.locator(`[id="f-${path}"]`).count(), 1, `the form has ${path}`);
  known.where = await calibrate(page, dialogs);
  const shown = new Set(Object.values(known.where).flat());
  // fallback.notes is the spec's old backout text: planb only checks it (PB002) and never prints it.
  assert.deepEqual(TEXT_FIELDS.filter((p) => !shown.has(p)), ["fallback.notes"], "fields no output shows");
  assert.deepEqual(
    TEXT_FIELDS.filter((p) => !known.where.plan.includes(p)),
    ["fallback.notes"],
    "fields the Plan tab does not show",
  );
  for (const tab of TABS) assert.ok(known.where[tab].length >= 5, `${tab} shows ${known.where[tab]}`);
});

suite.test("control: the checks see markup, script and dialogs when escaping fails", async (s) => {
  // What the tests below would see if planb wrote user text into the preview unescaped.
  s.expectConsoleError(/inline event handler/); // "Executing inline event handler violates …" (Chromium 156)
  s.expectConsoleError(/CSP violation: script-src/);
  const { page, dialogs } = await openWatched(s);
  const problems = await page.evaluate(() => {
    document.getElementById("preview").insertAdjacentHTML("beforeend", '<img src="data:," onerror="window.__pwned=1">');
    return window.__previewProblems();
  });
  assert.deepEqual([...problems].sort(), ["<img>", "img[onerror]", "img[src=data:,]"]);
  await s.waitForExpectedErrors(2);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "the CSP blocked the inline handler");
  await Promise.all([page.waitForEvent("dialog"), page.evaluate(() => setTimeout(() => alert("control"), 0))]);
  assert.deepEqual(dialogs, ["alert: control"], "a dialog is seen");
  assert.equal(shows("text", "a&lt;b", "a<b"), false, "text shown escaped is told apart");
  assert.equal(shows("markdown", "a<b", "a<b"), false, "Markdown left unescaped is told apart");
});

suite.test("every payload typed into every text field: nothing runs, and the plan shows it literally", async (s, t) => {
  assert.ok(known.where, "the first test ran");
  const { page, dialogs } = await openWatched(s);
  for (let round = 0; round < PAYLOADS.length; round++) {
    const assigned = assignment(round);
    // Typed with the short reply showing (it renders fastest), then read in the Plan tab and in
    // one more tab, a different one each round.
    const other = TABS[1 + (round % (TABS.length - 1))];
    const result = await step(page, { assigned, typeOn: "reply", tabs: ["plan", other] });
    const label = `round ${round}`;
    assigned.forEach(({ path, payload }, i) =>
      assert.equal(result.held[i], typed(payload, MULTILINE.has(path)), `${label}: ${path} holds what was typed`),
    );
    assertInert(result, dialogs, label);
    assertShown(
      result,
      assigned.map(({ path }, i) => ({ path, payload: result.held[i] })),
      label,
    );
  }
  await assertNothingRanLater(page, dialogs, "after typing");
  t.diagnostic(`${PAYLOADS.length} payloads × ${TEXT_FIELDS.length} fields typed`);
});

suite.test("payloads typed with Playwright's fill() land the same way, and show in every tab", async (s) => {
  assert.ok(known.where, "the first test ran");
  const { page, dialogs } = await openWatched(s);
  // A sample (every fourth payload, each field in turn), to check that the in-page typing of the
  // matrix above matches Playwright's own; every eighth of those is read in every tab.
  for (let i = 0, n = 0; i < PAYLOADS.length; i += 4, n++) {
    const path = TEXT_FIELDS[n % TEXT_FIELDS.length];
    const payload = PAYLOADS[i];
    await page.locator(`[id="f-${path}"]`).fill(payload);
    const held = await page.locator(`[id="f-${path}"]`).inputValue();
    const label = `payload ${i} in ${path}`;
    assert.equal(held, typed(payload, MULTILINE.has(path)), `${label}: the field holds what was filled`);
    const result = await step(page, { tabs: n % 8 === 0 ? TABS : ["plan"] });
    assertInert(result, dialogs, label);
    assertShown(result, [{ path, payload: held }], label);
    if (n % 8 === 0) await page.click("#tab-plan");
  }
  await assertNothingRanLater(page, dialogs, "after fill()");
});

suite.test("payloads in permalinks: nothing runs, and every tab and the embed view show them literally", async (s) => {
  assert.ok(known.base, "the first test ran");
  const { page, context, dialogs } = await openWatched(s);
  // The embed view (framed by wikis) renders the plan from the link too; it follows the address's
  // fragment, so one page serves every link.
  const embed = await context.newPage();
  await embed.goto(`${s.url}embed.html#${linkForJson(JSON.stringify(known.base))}`);
  await embed.waitForSelector('body[data-ready="true"] #preview article.plan', { state: "attached" });
  for (const [k, assigned] of groups().entries()) {
    const label = `link ${k}`;
    const link = linkForJson(JSON.stringify(specWith(known.base, assigned)));
    await s.revisit(page, `#${link}`);
    const alert = await page.evaluate(() =>
      document.getElementById("status").classList.contains("alert") ? document.getElementById("status-text").textContent : null,
    );
    assert.equal(alert, null, `${label}: no alert`);
    await formHolds(page, assigned, label);
    const result = await step(page, { tabs: TABS });
    assertInert(result, dialogs, label);
    assertShown(result, assigned, label);

    const previous = await embed.evaluate(() => document.getElementById("preview").innerHTML);
    await embed.evaluate((h) => (location.hash = h), link);
    await embed.waitForFunction((p) => document.getElementById("preview").innerHTML !== p, previous);
    const shown = await embed.evaluate(() => ({
      text: document.querySelector("#preview > article.plan")?.textContent ?? null,
      problems: window.__previewProblems(),
      pwned: window.__pwned,
    }));
    const embedResult = {
      read: { plan: { text: shown.text, shape: shown.text !== null, selected: true, problems: shown.problems } },
      pwned: shown.pwned,
      error: null,
    };
    assertInert(embedResult, dialogs, `${label}, embed view`);
    assertShown(embedResult, assigned, `${label}, embed view`);
  }
  await assertNothingRanLater(page, dialogs, "after the links");
  await assertNothingRanLater(embed, dialogs, "after the links, in the embed view");
});

for (const [format, mimeType, encode] of [
  ["yaml", "application/yaml", toYaml],
  ["json", "application/json", (spec) => JSON.stringify(spec, null, 2)],
]) {
  const title = `payloads in imported ${format.toUpperCase()} files: nothing runs, and every tab shows them literally`;
  suite.test(title, async (s) => {
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
      const result = await step(page, { tabs: TABS });
      assertInert(result, dialogs, name);
      assertShown(result, assigned, name);
      await page.click("#tab-plan");
    }
    await assertNothingRanLater(page, dialogs, `after the ${format} files`);
  });
}
