// Permalinks (#v1.…) and the spec saved in the browser.
import assert from "node:assert/strict";
import {
  FIRST_EXAMPLE,
  clipboardAfter,
  field,
  formValues,
  permalinkFor,
  planHeading,
  setField,
  settledPermalink,
  statusAlert,
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

suite.test("edits come back from the permalink in a fresh browser, and from storage on the bare address", async (s) => {
  const { page } = await s.open();
  await makeEdits(page);
  const before = await formValues(page);
  // "Copy link" gives the permalink of the current spec; the address bar must come to show the same URL.
  const link = await settledPermalink(page);
  assert.equal(await page.evaluate(() => location.href), link, "Copy link copies the address bar's URL");
  assert.match(link, new RegExp(`^${s.url.replace(/[.]/g, "\\.")}#v1\\.[A-Za-z0-9_-]+$`));

  const other = await s.open(link.slice(s.url.length)); // a new context: empty storage
  assert.equal(await planHeading(other.page), "Fallback plan: ledger-sync");
  assert.deepEqual(await formValues(other.page), before, "every field has the value it had");
  assert.equal(await other.page.evaluate(() => location.href), link, "the restored spec has the same permalink");
  assert.equal(await statusAlert(other.page), null, "no alert for a good link");

  // Saved in the browser: the bare address (no #v1.…) in the same profile brings the edits back.
  await s.revisit(page, "");
  assert.equal(await planHeading(page), "Fallback plan: ledger-sync");
  assert.deepEqual(await formValues(page), before);
  assert.equal(await page.evaluate(() => location.href), link, "the address gets the permalink back");
});

suite.test("a link built outside the page in the documented format opens that spec", async (s) => {
  const spec = {
    component: { name: "made-elsewhere", tier: "medium", user_facing: true },
    rollout: { strategy: "canary", steps: [5, { percent: 100, bake_time: "2h" }] },
    kill_switches: [{ kind: "feature-flag", flag_key: "elsewhere-on" }],
  };
  const { page } = await s.open(`#${permalinkFor(spec)}`);
  assert.equal(await statusAlert(page), null);
  const values = await formValues(page);
  assert.equal(values["component.name"], "made-elsewhere");
  assert.equal(values["component.tier"], "medium");
  assert.equal(values["component.user_facing"], "yes");
  assert.equal(values["rollout.steps.0.percent"], "5");
  assert.equal(values["rollout.steps.1.bake_time"], "2h");
  assert.equal(values["kill_switches.0.flag_key"], "elsewhere-on");
  assert.equal(await planHeading(page), "Fallback plan: made-elsewhere");
});

suite.test("a broken or truncated link says so and keeps the saved spec", async (s) => {
  const { page } = await s.open();
  const goodLink = await page.evaluate(() => location.href); // the first example's link
  await setField(page, "component.name", "saved-before-broken-link");
  const saved = await formValues(page);

  for (const hash of ["#v1.***", truncated(goodLink).slice(s.url.length)]) {
    await s.revisit(page, hash);
    const status = await page.evaluate(() => ({
      hidden: document.getElementById("status").hidden,
      alert: document.getElementById("status").classList.contains("alert"),
      text: document.getElementById("status-text").textContent,
    }));
    assert.equal(status.hidden, false, `${hash}: a message is shown`);
    assert.equal(status.alert, true, `${hash}: the message is an alert`);
    assert.match(status.text, /broken or truncated/, hash);
    assert.deepEqual(await formValues(page), saved, `${hash}: the saved spec is shown`);
    assert.match(await page.evaluate(() => location.hash), /^#v1\./, `${hash}: the address gets a working link`);
  }

});

suite.test("a broken link in a browser with nothing saved shows the first example", async (s) => {
  const link = `#${permalinkFor({ component: { name: "never-seen", description: "long enough to be cut in half" } })}`;
  const { page } = await s.open(truncated(link)); // a new context: nothing saved
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
  async (s) => {
    const { page } = await s.open();
    // Type and reload in one go, as a user pressing F5 right after typing does.
    const reloaded = page.waitForEvent("load");
    await page
      .evaluate(() => {
        const input = document.getElementById("f-component.name");
        input.value = "typed-just-before-reload";
        input.dispatchEvent(new Event("input", { bubbles: true }));
        location.reload();
      })
      .catch((e) => assert.match(e.message, /context was destroyed|navigat/i));
    await reloaded;
    await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
    assert.equal(await field(page, "component.name").inputValue(), "typed-just-before-reload");
  },
);

suite.test(
  "reloading while a field is invalid keeps everything typed",
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
  async (s) => {
    const { page } = await s.open(`#${permalinkFor({ component: { name: "spec-a" } })}`);
    assert.equal(await field(page, "component.name").inputValue(), "spec-a", "a link built outside the page opens");
    await page.goto(`${s.url}#${permalinkFor({ component: { name: "spec-b" } })}`); // only the fragment changes
    await page.waitForFunction(() => document.getElementById("f-component.name").value === "spec-b");
    assert.equal(await planHeading(page), "Fallback plan: spec-b");
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
