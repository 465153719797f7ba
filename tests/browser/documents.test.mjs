// The exported documents as their readers get them, and the page's Content-Security-Policy in force.
import assert from "node:assert/strict";
import { useSuite, downloadAfter, planHeading } from "./support.mjs";

const suite = useSuite();

suite.test("the standalone HTML file opens on its own in Chromium, with its picture and no script", async (s) => {
  const { page, context } = await s.open();
  await page.click("#tab-html");
  const { text: html } = await downloadAfter(page, () => page.click("#download"));
  assert.ok(!/<script/i.test(html), "no script in the file");
  const doc = await context.newPage();
  await doc.setContent(html);
  assert.equal(await doc.locator("article.plan h1").textContent(), "Fallback plan: payments-api");
  assert.ok(await doc.locator("figure svg title").count(), "the ladder picture is embedded");
  const ladderSteps = await doc.locator("article.plan ol.ladder > li").count();
  assert.ok(ladderSteps >= 3, `${ladderSteps} ladder steps`);
  // The file carries its own stylesheet: tables get borders without any request.
  const border = await doc.locator("article.plan table th").first().evaluate((e) => getComputedStyle(e).borderTopStyle);
  assert.equal(border, "solid");
});

suite.test("the picture tab draws the ladder inline without breaking the page's CSP", async (s) => {
  const { page } = await s.open();
  await page.click("#tab-svg");
  await page.waitForSelector("#preview svg");
  const boxes = await page.locator("#preview svg rect").count();
  assert.ok(boxes > 5, `${boxes} boxes`);
  assert.match(await page.locator("#preview svg title").textContent(), /^Fallback ladder: payments-api/);
});

suite.test("the CSP in force blocks a script injected into the page", async (s) => {
  s.expectConsoleError(/inline script violates|Refused to execute inline script|CSP violation: script-src/);
  const { page } = await s.open();
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__planbInjected = true";
    document.body.append(script);
  });
  await s.waitForExpectedErrors(1);
  assert.equal(await page.evaluate(() => window.__planbInjected), undefined, "the injected script did not run");
  assert.match(await planHeading(page), /payments-api/, "the page still works");
});
