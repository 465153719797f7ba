// `planb build`'s site as its readers get it: a folder of specs (the examples and a broken one)
// built by the command line with --keep-going, and served with the headers of
// docs/publishing/netlify.toml (no script at all, inline styles only), in Chromium.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { ROOT, useSuite } from "./support.mjs";

const work = mkdtempSync(join(tmpdir(), "planb-published-"));
const specs = join(work, "plans");
const out = join(work, "public");
cpSync(join(ROOT, "examples"), specs, { recursive: true });
writeFileSync(join(specs, "broken.yaml"), "component:\n  name: broken\n  tier: [oops\n");
const examples = readdirSync(specs).filter((f) => /\.(ya?ml|json)$/.test(f)).length - 1;

// The command line `cargo test` built (scripts/test.sh runs it first); built here when missing.
const planb = join(ROOT, "target", "debug", "planb");
if (!existsSync(planb)) {
  const cargo = spawnSync("cargo", ["build", "--locked", "--bin", "planb"], { cwd: ROOT, stdio: "inherit" });
  assert.equal(cargo.status, 0, "cargo build failed");
}
const built = spawnSync(planb, ["build", specs, "-o", out, "--keep-going", "--base-url", "https://planb.example/"], {
  encoding: "utf8",
});
assert.equal(built.status, 1, `a spec failed, so the exit code is 1; stderr: ${built.stderr}`);

const suite = useSuite({ dir: out, config: "docs/publishing/netlify.toml" });
after(() => rmSync(work, { recursive: true, force: true }));

/** Opens `path` of the published site in a fresh guarded context. */
async function visit(s, path) {
  const context = await s.newContext();
  const page = await context.newPage();
  const response = await page.goto(s.url + path);
  assert.equal(response.status(), 200, path);
  return page;
}

/** The index table's cells, a row of texts for each plan. */
const cells = (page) =>
  page.locator("main > table").first().locator("tbody tr").evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll("td")].map((td) => td.textContent.trim())),
  );

suite.test("the index lists every plan and names the spec that failed, under the published CSP", async (s) => {
  const page = await visit(s, "index.html");
  assert.equal(await page.title(), `Fallback plans (${examples})`);
  const rows = await cells(page);
  assert.equal(rows.length, examples);
  assert.ok(rows.some(([component]) => component.startsWith("payments-api")), "the first example is listed");
  const summary = await page.locator("main > p").first().textContent();
  assert.match(summary, new RegExp(`^${examples} plans\\. Errors: \\d+\\. Warnings: \\d+\\. Specs that could not be built: 1\\.$`));
  const failed = await page.locator("li.sev-error").allTextContents();
  assert.equal(failed.length, 1);
  assert.match(failed[0], /^broken\.yaml: broken\.yaml:4:1: /);
  // The stylesheet is inline, which this CSP allows: tables get their borders.
  const border = await page.locator("main > table th").first().evaluate((e) => getComputedStyle(e).borderTopStyle);
  assert.equal(border, "solid");
});

suite.test("each column header leads to the table sorted by that column", async (s) => {
  const page = await visit(s, "index.html");
  const headers = await page.locator("main > table").first().locator("thead th a").allTextContents();
  assert.deepEqual(headers, ["Component", "Owner", "Tool", "Change window", "Risk", "Errors", "Warnings"]);
  const risk = ["critical", "high", "medium", "low"];
  for (const [column, label] of headers.entries()) {
    await page.getByRole("link", { name: label, exact: true }).click();
    await page.waitForLoadState();
    const sorted = page.locator("main > table").first().locator("th[aria-sort]");
    assert.equal(await sorted.textContent(), label, `${label}: its header is marked as the sort`);
    const values = (await cells(page)).map((row) => (column === 0 ? row[0].split("\n")[0] : row[column]));
    for (let i = 1; i < values.length; i++) {
      const [a, b] = [values[i - 1], values[i]];
      const inOrder =
        label === "Risk" ? risk.indexOf(a) <= risk.indexOf(b)
        : label === "Errors" || label === "Warnings" ? Number(a) >= Number(b)
        : a <= b;
      assert.ok(inOrder, `${label}: ${JSON.stringify(a)} before ${JSON.stringify(b)}`);
    }
  }
});

suite.test("a plan's page shows the plan and its picture, and links its other formats and the editor", async (s) => {
  const page = await visit(s, "index.html");
  await page.getByRole("link", { name: "payments-api", exact: true }).click();
  await page.waitForLoadState();
  assert.equal(await page.locator("article.plan h1").textContent(), "Fallback plan: payments-api");
  assert.ok(await page.locator("figure svg title").count(), "the ladder picture is in the page");
  const links = await page.locator("nav a").evaluateAll((as) => as.map((a) => [a.textContent, a.href]));
  const byLabel = Object.fromEntries(links);
  assert.equal(byLabel["All plans"], `${s.url}index.html`);
  assert.match(byLabel["Open in editor"], /^https:\/\/planb\.example\/#v1\.[A-Za-z0-9_-]+$/);
  const formats = {
    Markdown: (text) => text.startsWith("# Fallback plan: payments-api\n"),
    Text: (text) => text.includes("payments-api"),
    "Confluence storage": (text) => text.includes("<ac:structured-macro"),
    JSON: (text) => JSON.parse(text).component.name === "payments-api",
  };
  for (const [label, looksRight] of Object.entries(formats)) {
    const response = await page.request.get(byLabel[label]);
    assert.equal(response.status(), 200, label);
    assert.ok(looksRight(await response.text()), `${label} at ${byLabel[label]}`);
  }
});
