// The embed page (embed.html#v1.…): the plan alone, framable by other sites; the editor is not.
import assert from "node:assert/strict";
import http from "node:http";
import { clipboardAfter, permalinkFor, setField, useSuite } from "./support.mjs";

const suite = useSuite();

/** The src of the iframe that "Copy embed code" copies, after checking the snippet's shape. */
async function copiedEmbed(page, s) {
  const code = await clipboardAfter(page, () => page.click("#copy-embed"));
  const frame = await page.evaluate((html) => {
    const t = document.createElement("template");
    t.innerHTML = html;
    const nodes = [...t.content.childNodes];
    const iframe = t.content.querySelector("iframe");
    return {
      only: nodes.length === 1 && nodes[0] === iframe,
      src: iframe?.getAttribute("src") ?? null,
      title: iframe?.getAttribute("title") ?? null,
    };
  }, code);
  assert.ok(frame.only, `the embed code is a single <iframe>: ${code}`);
  assert.ok(frame.src.startsWith(`${s.url}embed.html#v1.`), `iframe src: ${frame.src}`);
  return frame;
}

suite.test("Copy embed code gives an iframe of embed.html that shows the same plan, without the form", async (s) => {
  const { page } = await s.open();
  await setField(page, "component.name", 'Embedded "svc" <1>');
  const frame = await copiedEmbed(page, s);
  assert.equal(frame.title, 'Fallback plan: Embedded "svc" <1>', "the title attribute survives quotes and brackets");
  // The embed link carries the editor's permalink (the address bar catches up once typing pauses).
  const hash = frame.src.slice(frame.src.indexOf("#"));
  await page.waitForFunction((h) => location.hash === h, hash, { timeout: 5_000 }).catch(() => {});
  assert.equal(await page.evaluate(() => location.hash), hash, "the embed link holds the editor's permalink");

  const editorPlan = await page.locator("#preview article.plan").innerText();
  const embed = await s.open(frame.src.slice(s.url.length));
  assert.equal(await embed.page.getAttribute("body", "data-mode"), "embed");
  assert.equal(await embed.page.locator("#spec-form").count(), 0, "no form on the embed page");
  assert.equal(await embed.page.locator("#tabs, #presets, #findings").count(), 0, "no editor controls on the embed page");
  assert.equal(await embed.page.locator("#preview article.plan").count(), 1);
  assert.equal(await embed.page.locator("#preview article.plan h1").textContent(), 'Fallback plan: Embedded "svc" <1>');
  assert.equal(await embed.page.locator("#preview article.plan").innerText(), editorPlan, "the embed shows the editor's plan");
  assert.equal(
    await embed.page.evaluate(() => performance.getEntriesByName("planb:plan-visible", "mark").length),
    1,
  );
});

suite.test("embed.html without a link, or with a broken one, explains instead of showing a plan", async (s) => {
  const bare = await s.open("embed.html");
  assert.equal(await bare.page.locator("#preview article").count(), 0);
  const message = await bare.page.locator("#preview [role=alert]").textContent();
  assert.match(message, /#v1\./, `the message says what to add: ${message}`);

  await s.revisit(bare.page, "embed.html#v1.***");
  assert.equal(await bare.page.locator("#preview article").count(), 0);
  assert.match(await bare.page.locator("#preview [role=alert]").textContent(), /broken or truncated/);
});

suite.test("response headers: embed.html may be framed by other sites, the editor may not", async (s) => {
  const context = await s.newContext();
  const headers = async (path) => (await context.request.get(s.url + path)).headers();
  const directives = (csp) =>
    Object.fromEntries(
      csp
        .split(";")
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name, values]),
    );

  for (const path of ["", "index.html"]) {
    const h = await headers(path);
    assert.ok(h["content-security-policy"], `/${path} has a CSP`);
    const csp = directives(h["content-security-policy"]);
    assert.deepEqual(csp["frame-ancestors"], ["'none'"], `/${path}: frame-ancestors`);
    assert.equal(h["x-frame-options"], "DENY", `/${path}: X-Frame-Options`);
    assert.deepEqual(csp["default-src"], ["'self'"]);
  }

  const h = await headers("embed.html");
  const csp = directives(h["content-security-policy"]);
  for (const source of ["https:", "http://127.0.0.1:*", "http://localhost:*"]) {
    assert.ok(csp["frame-ancestors"].includes(source), `embed.html frame-ancestors allows ${source}: ${csp["frame-ancestors"]}`);
  }
  assert.ok(!csp["frame-ancestors"].includes("*"), "embed.html is not framable by every scheme");
  assert.equal(h["x-frame-options"], undefined, "embed.html sends no X-Frame-Options (it would forbid framing)");
  assert.deepEqual(csp["default-src"], ["'self'"]);
});

suite.test("a page on another origin can frame embed.html, but not the editor", async (s) => {
  // The link is built here, in the documented format, as another tool (or planb's CLI) would.
  const frame = { src: `${s.url}embed.html#${permalinkFor({ component: { name: "framed-svc" }, rollout: { steps: [10, 100] } })}` };

  // A host page on another origin (localhost rather than 127.0.0.1, on another port), like a wiki.
  const host = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><meta charset="utf-8"><title>wiki</title>
<iframe id="embed" src="${frame.src}" title="plan" onload="window.embedLoaded = true"></iframe>
<iframe id="editor" src="${s.url}" title="editor" onload="window.editorLoaded = true"></iframe>`);
  });
  await new Promise((resolve) => host.listen(0, "127.0.0.1", resolve));
  try {
    const hostUrl = `http://localhost:${host.address().port}/`;
    s.allowedOrigins.add(new URL(hostUrl).origin);
    s.expectConsoleError(/frame-ancestors 'none'/);
    const context = await s.newContext();
    const page = await context.newPage();
    await page.goto(hostUrl);
    await page.waitForFunction(() => window.embedLoaded && window.editorLoaded);

    const embedFrame = await (await page.$("#embed")).contentFrame();
    await embedFrame.waitForSelector('body[data-ready="true"]', { state: "attached" });
    assert.equal(
      await embedFrame.locator("#preview article.plan h1").textContent(),
      "Fallback plan: framed-svc",
      "the framed embed shows the plan",
    );

    const editorFrame = await (await page.$("#editor")).contentFrame();
    assert.notEqual(editorFrame.url(), s.url, "the framed editor did not load");
    assert.equal(await editorFrame.evaluate(() => document.body?.dataset.mode ?? null), null, "no planb editor in the frame");
    await s.waitForExpectedErrors(1);
    assert.match(s.expectedErrors[0], /127\.0\.0\.1/, "the browser reported the blocked editor frame");
  } finally {
    host.closeAllConnections();
    await new Promise((resolve) => host.close(resolve));
  }
});

suite.test(
  "changing the link of an open embed shows the new plan",
  async (s) => {
    const { page } = await s.open(`embed.html#${permalinkFor({ component: { name: "first-plan" } })}`);
    assert.equal(await page.locator("#preview article.plan h1").textContent(), "Fallback plan: first-plan");
    // Only the fragment changes: the same document stays, as in an iframe whose src is updated.
    await page.goto(`${s.url}embed.html#${permalinkFor({ component: { name: "second-plan" } })}`);
    await page.waitForFunction(
      () => document.querySelector("#preview article.plan h1")?.textContent === "Fallback plan: second-plan",
    );
  },
);
