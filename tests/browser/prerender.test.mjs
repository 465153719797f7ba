// The first example's plan built into the page by the site build (src/wasm/app/prerender.rs): a first
// visit sees it before planb's Wasm has even arrived, planb keeps what is there when it matches, and a
// visitor with a spec of their own never sees the example.
import assert from "node:assert/strict";
import { FIRST_EXAMPLE, field, permalinkFor, useSuite } from "./support.mjs";

const suite = useSuite();

/** Holds back planb's Wasm module in `context` until `release()` is called: the page before planb starts. */
async function holdWasm(context) {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await context.route("**/*.wasm", async (route) => {
    await held;
    await route.fallback(); // on to the session's guard, which lets the server's own files through
  });
  return release;
}

/** What the page shows before planb starts: whether each part is visible, and the plan's heading. */
function beforeStart(page) {
  return page.evaluate(() => {
    const shown = (e) => Boolean(e && e.getClientRects().length && getComputedStyle(e).visibility === "visible");
    const preview = document.getElementById("preview");
    return {
      started: document.body.hasAttribute("data-ready"),
      own: document.documentElement.classList.contains("own-spec"),
      plan: shown(preview.querySelector("article.plan")),
      heading: preview.querySelector("article.plan h1")?.textContent ?? null,
      tabs: shown(document.querySelector("#tabs [role=tab]")),
      summary: shown(document.getElementById("findings-summary")) && document.getElementById("findings-summary").textContent.trim(),
      panelLabel: document.getElementById(document.getElementById("panel").getAttribute("aria-labelledby") ?? "")?.textContent ?? null,
      firstTab: document.querySelector("#tabs [role=tab]")?.textContent ?? null,
    };
  });
}

suite.test("a first visit sees the first example's plan before planb starts, and planb keeps those very nodes", async (s) => {
  const context = await s.newContext();
  const release = await holdWasm(context);
  const page = await context.newPage();
  // Not "load": the held module is preloaded, and the load event waits for it.
  await page.goto(s.url, { waitUntil: "domcontentloaded" });

  const before = await beforeStart(page);
  assert.equal(before.started, false, "planb has not started: its module is held back");
  assert.equal(before.own, false, "a first visit has no spec of its own");
  assert.ok(before.plan, "the plan is shown before planb starts");
  assert.match(before.heading, new RegExp(FIRST_EXAMPLE));
  assert.ok(before.tabs, "the tabs are shown");
  assert.ok(before.summary, "the findings summary is shown");
  assert.ok(before.firstTab, "the first tab is there");
  assert.equal(before.panelLabel, before.firstTab, "the tab panel is labelled by the first tab");
  const builtIn = await page.evaluate(() => {
    const preview = document.getElementById("preview");
    window.probes = [preview.firstElementChild, document.querySelector("#tabs [role=tab]"), document.getElementById("findings-summary").firstChild];
    return preview.innerHTML;
  });

  release();
  await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
  assert.deepEqual(
    await page.evaluate(() => [
      document.getElementById("preview").firstElementChild === window.probes[0],
      document.querySelector("#tabs [role=tab]") === window.probes[1],
      document.getElementById("findings-summary").firstChild === window.probes[2],
    ]),
    [true, true, true],
    "planb left the plan, the tabs and the summary it would have written as they were",
  );
  assert.equal(await page.locator("[data-prerendered]").count(), 0, "every built-in part is now planb's");

  // The built-in plan is the HTML planb renders: leave the tab and come back, so planb writes the
  // preview afresh, and compare the two as the browser serializes them.
  await page.locator("#tab-markdown").click();
  await page.locator("#tab-plan").click();
  assert.equal(await page.locator("#preview").evaluate((e) => e.innerHTML), builtIn, "planb renders the plan the page was built with");
  assert.equal(await field(page, "component.name").inputValue(), FIRST_EXAMPLE);
});

suite.test("a returning visitor never sees the example while planb starts, and then sees their own plan", async (s) => {
  // No service worker: once it has cached planb's Wasm it serves the second visit without a request,
  // which holdWasm cannot hold, and planb would start before the page is looked at.
  const context = await s.newContext({ serviceWorkers: "block" });
  const { page } = await s.open("", context);
  const name = await page.locator("#presets option").nth(2).getAttribute("value");
  const before = await page.evaluate(() => localStorage.getItem("planb.spec.v1"));
  await page.locator("#presets").selectOption(name);
  await page.waitForFunction((saved) => localStorage.getItem("planb.spec.v1") !== saved, before);
  const heading = await page.locator("#preview article.plan h1").textContent();
  assert.doesNotMatch(heading, new RegExp(FIRST_EXAMPLE), "another example is loaded");
  await page.close();

  const release = await holdWasm(context);
  const again = await context.newPage();
  await again.goto(s.url, { waitUntil: "domcontentloaded" });
  const waiting = await beforeStart(again);
  assert.equal(waiting.started, false);
  assert.equal(waiting.own, true, "the page knows a spec is saved");
  assert.equal(waiting.plan, false, "the example's plan is not shown");
  assert.equal(waiting.tabs, false, "nor its tabs");
  assert.equal(waiting.summary, false, "nor its findings");

  release();
  await again.waitForSelector('body[data-ready="true"]', { state: "attached" });
  assert.equal(await again.locator("#preview article.plan h1").textContent(), heading, "the saved spec's plan");
  assert.ok(await again.locator("#preview article.plan").isVisible());
  assert.equal(await again.locator("[data-prerendered]").count(), 0);
});

suite.test("a visitor who opens a link never sees the example while planb starts", async (s) => {
  const context = await s.newContext();
  const release = await holdWasm(context);
  const page = await context.newPage();
  const spec = { component: { name: "linked-service", owner_team: "Links" } };
  await page.goto(`${s.url}#${permalinkFor(spec)}`, { waitUntil: "domcontentloaded" });
  const waiting = await beforeStart(page);
  assert.equal(waiting.own, true);
  assert.equal(waiting.plan, false, "the example's plan is not shown");

  release();
  await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
  assert.match(await page.locator("#preview article.plan h1").textContent(), /linked-service/);
});

suite.test("a saved spec that does not parse leaves no part of the example behind", async (s) => {
  const context = await s.newContext();
  // Saved before the page's own scripts run, as an earlier visit would have left it.
  await context.addInitScript(() => {
    if (location.protocol === "http:") localStorage.setItem("planb.spec.v1", JSON.stringify({ component: { name: "" } }));
  });
  const { page } = await s.open("", context);
  assert.ok(await page.locator("#error-banner").isVisible(), "the spec's error is shown");
  assert.equal(await page.locator("#preview").evaluate((e) => e.innerHTML), "", "no plan: the spec does not parse");
  assert.equal(await page.locator("#findings-list li").count(), 0, "none of the example's findings");
  assert.equal(await page.locator("[data-prerendered]").count(), 0);
  assert.ok(await page.locator("#tabs [role=tab]").first().isVisible(), "the tabs are planb's own, and shown");
});
