// Permalinks (#v1.…) and the spec saved in the browser.
import assert from "node:assert/strict";
import {
  FIRST_EXAMPLE,
  clipboardAfter,
  field,
  formValues,
  planHeading,
  setField,
  settledPermalink,
  useSuite,
} from "./support.mjs";

const suite = useSuite();

/** Edits that touch every kind of field: text, choice, yes/no, number, duration, lines, a new list row. */
async function makeEdits(page) {
  await setField(page, "component.name", "ledger-sync");
  await setField(page, "component.description", "Moves ledger entries, 2× a day; \"quoted\" & <tagged>");
  await setField(page, "component.tier", "critical");
  await setField(page, "component.user_facing", "no");
  await setField(page, "rollout.strategy", "blue-green");
  await setField(page, "rollout.bake_time", "45m");
  await setField(page, "verification.kpis.0.threshold", "2.5");
  await setField(page, "change.approvers", "Ops CAB\nSecurity");
  await page.click("#add-kill_switches");
  const row = (await page.locator('fieldset[data-list="kill_switches"] fieldset.row').count()) - 1;
  await setField(page, `kill_switches.${row}.kind`, "config-toggle");
  await setField(page, `kill_switches.${row}.flag_key`, "ledger-sync-writes");
  await setField(page, `kill_switches.${row}.tested`, "yes");
}

/** A link to the same spec with its payload cut in half. */
function truncated(link) {
  const at = link.indexOf("#v1.") + 4;
  return link.slice(0, at + Math.floor((link.length - at) / 2));
}

suite.test("a permalink opened in a fresh browser restores the same spec; Copy link copies it", async (s) => {
  const { page } = await s.open();
  await makeEdits(page);
  const before = await formValues(page);
  // "Copy link" gives the permalink of the current spec; the address bar must come to show the same URL.
  const link = await settledPermalink(page);
  assert.equal(page.url(), link, "Copy link copies the address bar's URL");
  assert.match(link, new RegExp(`^${s.url.replace(/[.]/g, "\\.")}#v1\\.[A-Za-z0-9_-]+$`));

  const other = await s.open(link.slice(s.url.length)); // a new context: empty storage
  assert.equal(await planHeading(other.page), "Fallback plan: ledger-sync");
  assert.deepEqual(await formValues(other.page), before, "every field has the value it had");
  assert.equal(await other.page.evaluate(() => location.href), link, "the restored spec has the same permalink");
  assert.ok(await other.page.locator("#status").isHidden(), "no message for a good link");
});

suite.test("the spec survives a reload from the bare address (saved in the browser)", async (s) => {
  const { page, context } = await s.open();
  await makeEdits(page);
  const before = await formValues(page);

  const again = await s.open("", context); // same storage, no #v1.… in the address
  assert.equal(await planHeading(again.page), "Fallback plan: ledger-sync");
  assert.deepEqual(await formValues(again.page), before);
  assert.match(await again.page.evaluate(() => location.hash), /^#v1\./, "the address gets the permalink back");

  const fresh = await s.open(); // another browser profile has nothing saved: the first example
  assert.equal(await field(fresh.page, "component.name").inputValue(), FIRST_EXAMPLE);
});

suite.test("a broken or truncated link says so and keeps the saved spec", async (s) => {
  const { page, context } = await s.open();
  const goodLink = await page.evaluate(() => location.href); // the first example's link
  await setField(page, "component.name", "saved-before-broken-link");
  const saved = await formValues(page);

  for (const hash of ["#v1.***", truncated(goodLink).slice(s.url.length), "#v1." + "A".repeat(40), "#not-a-planb-link"]) {
    const opened = await s.open(hash, context);
    const status = await opened.page.evaluate(() => ({
      hidden: document.getElementById("status").hidden,
      alert: document.getElementById("status").classList.contains("alert"),
      text: document.getElementById("status-text").textContent,
    }));
    assert.equal(status.hidden, false, `${hash}: a message is shown`);
    assert.equal(status.alert, true, `${hash}: the message is an alert`);
    assert.match(status.text, /broken or truncated/, hash);
    assert.deepEqual(await formValues(opened.page), saved, `${hash}: the saved spec is shown`);
    assert.match(await opened.page.evaluate(() => location.hash), /^#v1\./, `${hash}: the address gets a working link`);
    await opened.page.close();
  }

  // The broken links did not overwrite what was saved.
  const again = await s.open("", context);
  assert.deepEqual(await formValues(again.page), saved);
});

suite.test("a broken link in a browser with nothing saved shows the first example", async (s) => {
  const first = await s.open();
  const half = truncated(await first.page.evaluate(() => location.href));
  const { page } = await s.open(half.slice(s.url.length)); // new context: nothing saved
  const status = await page.evaluate(() => ({
    alert: document.getElementById("status").classList.contains("alert"),
    text: document.getElementById("status-text").textContent,
  }));
  assert.equal(status.alert, true);
  assert.match(status.text, /broken or truncated/);
  assert.equal(await field(page, "component.name").inputValue(), FIRST_EXAMPLE);
});

suite.test(
  "reloading right after typing keeps what was typed",
  {
    todo:
      "page bug: the page starts from the #v1.… link in the address, which is refreshed only 300 ms after " +
      "the last keystroke, so a reload within that time replaces the saved spec with the older link's",
  },
  async (s) => {
    const { page } = await s.open();
    // Type and reload in one go, as a user pressing F5 right after typing does.
    await page.evaluate(() => {
      const input = document.getElementById("f-component.name");
      input.value = "typed-just-before-reload";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      location.reload();
    });
    await page.waitForFunction(() => document.body.dataset.ready === "true" && !!document.getElementById("f-component.name"));
    assert.equal(await field(page, "component.name").inputValue(), "typed-just-before-reload");
  },
);

suite.test(
  "reloading while a field is invalid keeps everything typed",
  {
    todo:
      "page bug: while the spec is invalid the address keeps the last valid #v1.… link; on reload that link " +
      "wins over the saved spec, so the invalid value and every edit since the last valid spec are lost",
  },
  async (s) => {
    const { page } = await s.open();
    await setField(page, "rollout.steps.0.percent", "150");
    await setField(page, "component.description", "typed while the step was invalid");
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
    assert.equal(await field(page, "component.description").inputValue(), "typed while the step was invalid");
    assert.equal(await field(page, "rollout.steps.0.percent").inputValue(), "150");
    assert.ok(await page.locator("#error-banner").isVisible(), "the invalid value is still reported");
  },
);

suite.test(
  "opening another permalink in the same tab shows that spec",
  {
    todo:
      "page bug: the page reads the #v1.… link only at start and ignores hashchange, so a link pasted into " +
      "the address bar of an open editor leaves the old spec on screen under the new link",
  },
  async (s) => {
    const { page } = await s.open();
    await setField(page, "component.name", "spec-a");
    const linkA = await settledPermalink(page);
    await setField(page, "component.name", "spec-b");
    await settledPermalink(page);
    await page.goto(linkA); // same document: only the fragment changes
    await page.waitForFunction(() => document.getElementById("f-component.name").value === "spec-a", null, {
      timeout: 1000,
    });
    assert.equal(await planHeading(page), "Fallback plan: spec-a");
  },
);

suite.test("while a value is invalid, Copy link and the address bar keep the last valid spec", async (s) => {
  const { page } = await s.open();
  await setField(page, "component.name", "last-valid");
  const validLink = await settledPermalink(page);
  await setField(page, "rollout.steps.0.percent", "0");
  await setField(page, "component.description", "typed while invalid");
  assert.ok(await page.locator("#error-banner").isVisible());

  const copied = await clipboardAfter(page, () => page.click("#copy-link"));
  assert.equal(copied, validLink, "Copy link copies the last valid spec's link");
  assert.equal(await page.evaluate(() => location.href), validLink, "the address keeps the last valid link");

  await setField(page, "rollout.steps.0.percent", "5");
  const fixed = await settledPermalink(page);
  assert.notEqual(fixed, validLink, "the link follows the spec again once it is valid");
  const other = await s.open(fixed.slice(s.url.length));
  assert.equal(await field(other.page, "rollout.steps.0.percent").inputValue(), "5");
  assert.equal(await field(other.page, "component.description").inputValue(), "typed while invalid");
});
