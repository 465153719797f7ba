// Shared setup for the browser tests: the local server (scripts/serve.py, with netlify.toml's
// headers), headless Chromium, and the guards every test runs under:
//   - no console error (this includes CSP reports: "Refused to …"), no uncaught page error,
//     no CSP violation event, no HTTP error response;
//   - no request to any origin but the test server's (data: and blob: are fine); such requests
//     are aborted and reported.
// A test written with `suite.test(...)` gets a fresh browser context and fails if a guard tripped.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { deflateRawSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const CHROMIUM = process.env.PLANB_CHROMIUM ?? "/usr/bin/chromium";
export const LAUNCH_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The tab ids, in order, with the extension of their download. */
export const TABS = [
  { id: "plan", ext: "html" },
  { id: "reply", ext: "txt" },
  { id: "markdown", ext: "md" },
  { id: "markdown-brief", ext: "md" },
  { id: "text", ext: "txt" },
];

export const FIRST_EXAMPLE = "payments-api";

/** Builds site/ when it is missing (it normally is there: the build takes about a minute). */
function ensureSite() {
  if (existsSync(new URL("../../site/index.html", import.meta.url))) return;
  const built = spawnSync("bash", ["scripts/build-site.sh"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  assert.equal(built.status, 0, "scripts/build-site.sh failed");
}

/**
 * Starts scripts/serve.py on a free port, serving `dir` with the headers of `config` (by default the
 * page, site/, with netlify.toml's); resolves to { url, origin, close }.
 */
export async function startServer({ dir = "site", config = "netlify.toml" } = {}) {
  if (dir === "site") ensureSite();
  const child = spawn("python3", ["scripts/serve.py", "--dir", dir, "--port", "0", "--config", config], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`serve.py printed no URL within 10 s; stderr: ${stderr}`)), 10_000);
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.py exited (${code}) before printing its URL; stderr: ${stderr}`));
    });
  });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/, "serve.py's first line is its URL");
  return {
    url,
    origin: new URL(url).origin,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
}

/**
 * Registers before/after hooks for one test file: a server (see `startServer` for `served`) and a
 * browser shared by its tests. Returns the suite; its fields (`url`, `origin`, `browser`) are set
 * once the hooks have run.
 */
export function useSuite(served = {}) {
  const suite = {
    url: "",
    origin: "",
    browser: null,
    server: null,
    /** Runs `fn(session, t)` as a test in a fresh guarded session; the guards are asserted after it. */
    test(name, options, fn) {
      if (typeof options === "function") [options, fn] = [{}, options];
      return test(name, options, async (t) => {
        const session = new Session(suite);
        try {
          await fn(session, t);
          session.assertClean();
        } finally {
          await session.close();
        }
      });
    },
  };
  before(async () => {
    suite.server = await startServer(served);
    suite.url = suite.server.url;
    suite.origin = suite.server.origin;
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

/** One test's browser contexts, each guarded, with helpers for the page. */
export class Session {
  constructor(suite) {
    this.suite = suite;
    this.url = suite.url;
    this.origin = suite.origin;
    this.contexts = [];
    /** Origins a context may reach besides the test server (a test adds a framing host here). */
    this.allowedOrigins = new Set([suite.origin]);
    this.problems = { console: [], pageErrors: [], webErrors: [], foreignRequests: [], httpErrors: [] };
    /** Console errors the test expects (moved out of `problems.console` as they arrive). */
    this.expectedErrors = [];
    this.expectedPatterns = [];
  }

  /** A console error matching `pattern` is expected in this test, not a failure. */
  expectConsoleError(pattern) {
    this.expectedPatterns.push(pattern);
  }

  /** Waits (up to 10 s) until `count` expected console errors have arrived. */
  async waitForExpectedErrors(count) {
    const deadline = Date.now() + 10_000;
    while (this.expectedErrors.length < count) {
      assert.ok(Date.now() < deadline, `expected ${count} console error(s) matching ${this.expectedPatterns}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /**
   * A new browser context (fresh storage and cache), guarded, with clipboard access for the server's
   * origin; `options` are Playwright's (e.g. `{ serviceWorkers: "block" }`).
   */
  async newContext(options = {}) {
    const context = await this.suite.browser.newContext({ acceptDownloads: true, ...options });
    this.contexts.push(context);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: this.origin });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      const { protocol, origin } = new URL(url);
      if (protocol === "data:" || protocol === "blob:" || this.allowedOrigins.has(origin)) return route.continue();
      this.problems.foreignRequests.push(url);
      return route.abort("blockedbyclient");
    });
    // CSP violations also reach the console as "Refused to …"; this catches any that would not.
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "(inline)"} in ${e.documentURI}`),
      );
    });
    context.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const text = `${msg.text()} (at ${msg.location()?.url || "?"})`;
      if (this.expectedPatterns.some((p) => p.test(msg.text()))) this.expectedErrors.push(text);
      else this.problems.console.push(text);
    });
    context.on("page", (page) => page.on("pageerror", (e) => this.problems.pageErrors.push(e.stack || String(e))));
    context.on("weberror", (e) => this.problems.webErrors.push(String(e.error()?.stack || e.error())));
    context.on("response", (r) => {
      if (r.status() >= 400) this.problems.httpErrors.push(`${r.status()} ${r.url()}`);
    });
    return context;
  }

  /** A page in a new context (or in `context`), opened at `path` on the server, once planb has started. */
  async open(path = "", context = null) {
    const ctx = context ?? (await this.newContext());
    const page = await ctx.newPage();
    const response = await page.goto(this.url + path);
    await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
    return { page, context: ctx, response };
  }

  /**
   * Opens `path` in an existing page as a new visit (a full load, even when only the #fragment
   * differs from the page's current address): same context, so same storage.
   */
  async revisit(page, path = "") {
    await page.goto("about:blank");
    const response = await page.goto(this.url + path);
    await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
    return response;
  }

  assertClean() {
    assert.deepEqual(this.problems, { console: [], pageErrors: [], webErrors: [], foreignRequests: [], httpErrors: [] },
      "the page logged errors, threw, violated its CSP, failed a request or reached another origin");
  }

  async close() {
    for (const context of this.contexts) await context.close().catch(() => {});
  }
}

/**
 * A permalink fragment (without "#") built outside the page, in the documented format:
 * "v1." + base64url (no padding) of the raw-DEFLATE-compressed JSON of the spec.
 */
export function permalinkFor(spec) {
  return `v1.${deflateRawSync(Buffer.from(JSON.stringify(spec))).toString("base64url")}`;
}

/** The form field for a spec path (ids contain dots, so no `#id` selector). */
export function field(page, path) {
  return page.locator(`[id="f-${path}"]`);
}

/** Every form field's value, by its data-path. */
export function formValues(page) {
  return page
    .locator("#spec-form [data-path]")
    .evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.path, e.value])));
}

/** Sets a field the way typing does: `fill` for text, `selectOption` for selects. */
export async function setField(page, path, value) {
  const input = field(page, path);
  if ((await input.evaluate((e) => e.tagName)) === "SELECT") await input.selectOption(value);
  else await input.fill(value);
}

/** Runs `action` and resolves to the text it put on the clipboard. */
export async function clipboardAfter(page, action) {
  const sentinel = `planb-test-sentinel-${Math.random()}`;
  await page.evaluate((s) => navigator.clipboard.writeText(s), sentinel);
  await action();
  const handle = await page.waitForFunction(
    async (s) => {
      const text = await navigator.clipboard.readText();
      return text !== s ? { text } : null;
    },
    sentinel,
    { polling: 50, timeout: 10_000 },
  );
  return (await handle.jsonValue()).text;
}

/** Runs `action` (which should start a download) and resolves to { name, text }. */
export async function downloadAfter(page, action) {
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 10_000 }), action()]);
  const failure = await download.failure();
  assert.equal(failure, null, `download of ${download.suggestedFilename()} failed`);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), "utf8") };
}

/** Waits until the status line's text contains `text`; resolves to { text, alert, undo }. */
export async function waitForStatus(page, text) {
  await page.waitForFunction(
    (t) => {
      const s = document.getElementById("status");
      return s && !s.hidden && document.getElementById("status-text").textContent.includes(t);
    },
    text,
    { timeout: 10_000 },
  );
  return page.evaluate(() => ({
    text: document.getElementById("status-text").textContent,
    alert: document.getElementById("status").classList.contains("alert"),
    undo: !document.getElementById("undo").hidden,
  }));
}

/** The status line's alert text, or null when no alert is showing (plain notes do not count). */
export function statusAlert(page) {
  return page.evaluate(() => {
    const s = document.getElementById("status");
    return !s.hidden && s.classList.contains("alert") ? document.getElementById("status-text").textContent : null;
  });
}

/** The plan's heading text (the HTML plan in the preview). */
export function planHeading(page) {
  return page.locator("#preview article.plan h1").textContent();
}

/** Copies the permalink with "Copy link", then waits until the address bar shows the same URL. */
export async function settledPermalink(page) {
  const link = await clipboardAfter(page, () => page.click("#copy-link"));
  const shown = await page
    .waitForFunction((l) => location.href === l, link, { timeout: 5_000 })
    .then(() => link)
    .catch(() => page.evaluate(() => location.href));
  assert.equal(shown, link, "the address bar comes to show the link that Copy link copied");
  return link;
}
