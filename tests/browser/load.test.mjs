// The editor's first load, its tabs by keyboard, and the labels of its controls.
import assert from "node:assert/strict";
import { FIRST_EXAMPLE, TABS, field, planHeading, statusAlert, useSuite } from "./support.mjs";

const suite = useSuite();

suite.test("first load shows the first example's plan, its findings and every tab", async (s) => {
  const { page, response } = await s.open();
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute("body", "data-mode"), "editor");
  assert.equal(
    await page.evaluate(() => performance.getEntriesByName("planb:plan-visible", "mark").length),
    1,
    "the planb:plan-visible mark is set once",
  );

  assert.match(await planHeading(page), new RegExp(FIRST_EXAMPLE));
  assert.equal(await field(page, "component.name").inputValue(), FIRST_EXAMPLE);
  assert.equal(await page.locator("#spec-form .loading").count(), 0, "the loading message is gone");

  assert.ok(await page.locator("#findings").isVisible(), "the findings panel is shown");
  assert.ok(await page.locator("#findings-list").count(), "the findings list exists");
  assert.notEqual((await page.locator("#findings-summary").textContent()).trim(), "", "the findings summary is filled");

  const tabs = await page
    .locator("#tabs [role=tab]")
    .evaluateAll((els) => els.map((e) => ({ id: e.id, selected: e.getAttribute("aria-selected") })));
  // The five core outputs come first, in this order (later formats may follow them).
  assert.deepEqual(
    tabs.slice(0, TABS.length).map((t) => t.id),
    TABS.map((t) => `tab-${t.id}`),
  );
  assert.equal(new Set(tabs.map((t) => t.id)).size, tabs.length, "tab ids are unique");
  assert.ok(
    await page.locator("#tabs [role=tab]").evaluateAll((els) => els.every((e) => e.getAttribute("aria-controls") === "panel")),
    "every tab controls the panel",
  );
  assert.deepEqual(
    tabs.filter((t) => t.selected === "true").map((t) => t.id),
    ["tab-plan"],
    "only the Plan tab is selected",
  );
  assert.equal(await page.getAttribute("#panel", "aria-labelledby"), "tab-plan");

  assert.match(await page.evaluate(() => location.hash), /^#v1\.[A-Za-z0-9_-]+$/, "the address holds the permalink");
  const presets = await page.locator("#presets option").evaluateAll((els) => els.map((e) => e.value));
  assert.ok(presets.includes("harness-blue-green-destructive.yaml"), `presets: ${presets}`);
  assert.ok(presets.length >= 3, "several examples are offered");
  assert.equal(await statusAlert(page), null, "no alert on a plain first load");
  assert.ok(await page.locator("#error-banner").isHidden(), "no error on a plain first load");
});

suite.test("the output tabs are reachable with Tab and follow the arrow keys", async (s) => {
  const { page } = await s.open();
  // Start from the last control of the form and tab forwards: the first tab stop in the tab list
  // must be the selected tab (roving tabindex), reached without a mouse.
  await page.focus("#add-fallback_steps");
  let reached = null;
  for (let i = 0; i < 60 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => (document.activeElement?.getAttribute("role") === "tab" ? document.activeElement.id : null));
  }
  assert.equal(reached, "tab-plan", "Tab reaches the selected tab");

  const state = () =>
    page.evaluate(() => ({
      focused: document.activeElement.id,
      selected: [...document.querySelectorAll("#tabs [aria-selected=true]")].map((e) => e.id),
      tabbable: [...document.querySelectorAll("#tabs [role=tab]")].filter((e) => e.tabIndex === 0).map((e) => e.id),
      labelledBy: document.getElementById("panel").getAttribute("aria-labelledby"),
      preview: document.querySelector("#preview > *")?.tagName,
    }));

  await page.keyboard.press("ArrowRight");
  assert.deepEqual(await state(), {
    focused: "tab-reply",
    selected: ["tab-reply"],
    tabbable: ["tab-reply"],
    labelledBy: "tab-reply",
    preview: "PRE",
  });
  await page.keyboard.press("ArrowLeft");
  assert.deepEqual(await state(), {
    focused: "tab-plan",
    selected: ["tab-plan"],
    tabbable: ["tab-plan"],
    labelledBy: "tab-plan",
    preview: "ARTICLE",
  });
  const lastTab = await page.locator("#tabs [role=tab]").last().getAttribute("id");
  await page.keyboard.press("ArrowLeft"); // wraps around to the last tab
  assert.equal((await state()).selected[0], lastTab);
  await page.keyboard.press("ArrowRight"); // and back to the first
  assert.equal((await state()).selected[0], "tab-plan");
  await page.keyboard.press("End");
  assert.deepEqual((await state()).selected, [lastTab]);
  assert.equal((await state()).focused, lastTab);
  await page.keyboard.press("Home");
  assert.deepEqual((await state()).selected, ["tab-plan"]);
  assert.equal((await state()).focused, "tab-plan");

  // Tab leaves the tab list for the toolbar rather than walking through every tab.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "copy");
});

suite.test("every form control has a label, and its description ids exist", async (s) => {
  const { page } = await s.open();
  // Give the lists that the first example leaves empty a row, so their fields are checked too.
  for (const list of ["shared_resources", "fallback_steps"]) {
    await page.click(`#add-${list}`);
  }
  const report = await page.evaluate(() => {
    const controls = [...document.querySelectorAll("#spec-form input, #spec-form select, #spec-form textarea")];
    return {
      count: controls.length,
      unlabelled: controls.filter((c) => c.labels.length === 0 || !c.labels[0].textContent.trim()).map((c) => c.id),
      brokenDescriptions: controls.flatMap((c) =>
        (c.getAttribute("aria-describedby") || "")
          .split(/\s+/)
          .filter(Boolean)
          .filter((id) => !document.getElementById(id))
          .map((id) => `${c.id} -> ${id}`),
      ),
      missingPath: controls.filter((c) => !c.dataset.path || c.id !== `f-${c.dataset.path}`).map((c) => c.id),
      headerUnlabelled: [...document.querySelectorAll("header select, header input:not([type=file])")]
        .filter((c) => c.labels.length === 0)
        .map((c) => c.id),
      namelessButtons: [...document.querySelectorAll("button")]
        .filter((b) => !b.hidden && !b.textContent.trim() && !b.getAttribute("aria-label"))
        .map((b) => b.outerHTML.slice(0, 80)),
    };
  });
  assert.ok(report.count > 50, `the form has its fields (${report.count})`);
  assert.deepEqual(report.unlabelled, [], "controls without a label");
  assert.deepEqual(report.brokenDescriptions, [], "aria-describedby pointing at nothing");
  assert.deepEqual(report.missingPath, [], "controls whose id is not f-<data-path>");
  assert.deepEqual(report.headerUnlabelled, [], "header controls without a label");
  assert.deepEqual(report.namelessButtons, [], "buttons without an accessible name");
});

suite.test(
  "the skip link moves focus to the plan without replacing the permalink in the address bar",
  async (s) => {
    const { page } = await s.open();
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.className), "skip", "the skip link is the first tab stop");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement.id === "output");
    assert.match(await page.evaluate(() => location.hash), /^#v1\./, "the address bar still holds the permalink");
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
    assert.equal(await statusAlert(page), null, "reloading after the skip link reports no broken link");
  },
);
