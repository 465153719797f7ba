// After the first visit, the page keeps working with the network off (the service worker).
import assert from "node:assert/strict";
import { useSuite, planHeading, permalinkFor } from "./support.mjs";

const suite = useSuite();

suite.test("after the first visit the editor and the embed view work offline", async (s) => {
  const { page, context } = await s.open();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
  assert.match(await planHeading(page), /payments-api/, "the editor starts offline");
  await page.locator('[id="f-component.name"]').fill("offline-edit");
  await page.waitForFunction(() => document.querySelector("#preview article.plan h1")?.textContent.includes("offline-edit"));
  // The pipeline importer was never used online, yet the service worker stored it with the rest.
  const rollout = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: offline-rollout\nspec:\n  strategy:\n    canary: {}\n";
  await page.setInputFiles("#import-file", { name: "rollout.yaml", mimeType: "application/yaml", buffer: Buffer.from(rollout) });
  await page.waitForFunction(() => document.querySelector("#preview article.plan h1")?.textContent.includes("offline-rollout"));

  const embed = await context.newPage();
  await embed.goto(`${s.url}embed.html#${permalinkFor({ component: { name: "offline-embed" } })}`);
  await embed.waitForSelector('body[data-ready="true"]', { state: "attached" });
  assert.equal(await embed.locator("article.plan h1").textContent(), "Fallback plan: offline-embed");
  await context.setOffline(false);
});
