// The TypeScript types of planb's npm package (target/pkg/planb.d.ts, from scripts/build-site.sh): its
// functions name the model's types (schema/planb-types.d.ts, generated from the Rust types) instead
// of `any`, a strict consumer (tests/types/consumer.ts) compiles against them, and what the Wasm
// returns and throws has exactly the fields the types declare.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { test } from "node:test";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PKG = join(ROOT, "target/pkg");
const DTS = join(PKG, "planb.d.ts");

function declarations() {
  assert.ok(existsSync(DTS), `${DTS} is missing: run bash scripts/build-site.sh first`);
  return ts.createSourceFile(DTS, readFileSync(DTS, "utf8"), ts.ScriptTarget.Latest, true);
}

/** Every `any` under `node`, as the text of the declaration it is in. */
function anys(node, source, out = []) {
  if (node.kind === ts.SyntaxKind.AnyKeyword) out.push(node.parent.getText(source));
  ts.forEachChild(node, (child) => {
    anys(child, source, out); // a callback that returns a value would end forEachChild's walk
  });
  return out;
}

/** The exported functions of the d.ts, name → signature text without the doc comment. */
function functions(source) {
  const out = new Map();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      out.set(statement.name.text, statement.getText(source).replace(/\s+/g, " "));
    }
  }
  return out;
}

/** The names of the members an interface of the d.ts declares itself (not those it inherits). */
/// The members an interface declares, sorted; `{ optional: false }` leaves out those marked `?`.
function members(source, name, { optional = true } = {}) {
  const declaration = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === name);
  assert.ok(declaration, `planb.d.ts declares no interface ${name}`);
  return declaration.members
    .filter((m) => optional || !m.questionToken)
    .map((m) => m.name.getText(source))
    .sort();
}

const API = {
  render: "export function render(spec: string, options?: RenderOptions): string;",
  check: "export function check(spec: string): Finding[];",
  plan: "export function plan(spec: string): Plan;",
  schema: "export function schema(): JsonSchema;",
  examples: "export function examples(): Example[];",
  encodeLink: "export function encodeLink(spec: string): string;",
  decodeLink: "export function decodeLink(fragment: string): string;",
};

test("the API's functions name planb's types, and nothing but wasm-bindgen's raw exports says any", () => {
  const source = declarations();
  const found = functions(source);
  for (const [name, signature] of Object.entries(API)) {
    assert.ok(found.has(name), `planb.d.ts has no function ${name}`);
    assert.deepEqual(anys(source.statements.find((s) => s.name?.text === name), source), [], `${name} uses any`);
    assert.equal(found.get(name), signature);
  }
  // InitOutput types the module's raw exports (numbers and handles), which JavaScript never calls.
  const rest = source.statements.filter((s) => !(ts.isInterfaceDeclaration(s) && s.name.text === "InitOutput"));
  assert.deepEqual(rest.flatMap((s) => anys(s, source)), []);
  for (const type of ["Spec", "Plan", "Finding", "Severity", "RenderOptions", "Format", "Style", "PlanbError"]) {
    assert.ok(
      source.statements.some((s) => s.name?.text === type && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)),
      `planb.d.ts exports no type ${type}`,
    );
  }
});

test("a strict TypeScript consumer compiles, and the wrong uses it marks are errors", () => {
  declarations();
  const dir = join(ROOT, "tests/types");
  const config = ts.readConfigFile(join(dir, "tsconfig.json"), ts.sys.readFile);
  assert.equal(config.error, undefined);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dir);
  assert.deepEqual(parsed.errors, []);
  assert.equal(parsed.options.strict, true);
  assert.equal(parsed.options.skipLibCheck, false, "planb.d.ts itself must be checked");
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  assert.ok(program.getSourceFile(DTS), "the consumer does not reach target/pkg/planb.d.ts");
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file) return `TS${d.code}: ${text}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.slice(ROOT.length)}:${line + 1}:${character + 1} TS${d.code}: ${text}`;
  });
  assert.deepEqual(diagnostics, []);
});

test("what the Wasm returns and throws has exactly the fields its types declare", async () => {
  const source = declarations();
  const planb = await import(pathToFileURL(join(PKG, "planb.js")));
  planb.initSync({ module: readFileSync(join(PKG, "planb_bg.wasm")) });
  const keys = (value) => Object.keys(value).sort();
  const spec = planb.examples().find((e) => e.name === "harness-update.yaml").text;
  const plan = planb.plan(spec);
  assert.deepEqual(keys(plan), members(source, "Plan"));
  assert.deepEqual(keys(plan.ladder[0]), members(source, "Rung"));
  assert.deepEqual(keys(plan.snippet), members(source, "Snippet"));
  // A spec's finding names a field, not a place in a file: the location's members are optional and absent.
  assert.deepEqual(keys(planb.check("component: { name: a }")[0]), members(source, "Finding", { optional: false }));
  const located = members(source, "Finding").filter((m) => !members(source, "Finding", { optional: false }).includes(m));
  assert.deepEqual(located, ["column", "file", "line"]);
  assert.deepEqual(keys(planb.examples()[0]), members(source, "Example"));
  assert.throws(
    () => planb.render("component: { name: a }\nrollout: { steps: [10, 150] }\n", { format: "text" }),
    (error) => {
      // Its own fields, less the two every Error has.
      const own = Object.getOwnPropertyNames(error).filter((k) => k !== "message" && k !== "stack");
      assert.deepEqual(own.sort(), members(source, "PlanbError"));
      assert.equal(error.name, "PlanbError");
      assert.equal(error.kind, "invalid_spec");
      return true;
    },
  );
  assert.equal(typeof planb.render(spec), "string", "the options may be left out");
});
