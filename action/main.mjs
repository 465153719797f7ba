// The GitHub Action of action.yml: runs the npm package's `planb check` twice over the same files,
// once for the log (`--format github` by default: the runner turns those lines into annotations) and
// once for SARIF, and fails the step as `fail-on` says. Node's own modules only.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";

/** An input as the runner passes it: `INPUT_<NAME>`, upper-case, spaces as underscores. */
const input = (name, fallback = "") => (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? fallback).trim();

const paths = input("paths")
  .split(/\s+/)
  .filter(Boolean)
  // Node 22 and later (the runner's node24) expand globs; a name without one is kept as it is.
  .flatMap((p) => (/[*?[{]/.test(p) && fs.globSync ? fs.globSync(p).sort() : [p]));
if (paths.length === 0) {
  console.log("::error title=planb check::the paths input names no file");
  process.exit(2);
}
const pkg = input("package", "planb");
/** Runs `planb check PATHS --format FORMAT` from the package; its exit code and output. */
const planb = (format) =>
  spawnSync("npm", ["exec", "--yes", `--package=${pkg}`, "--", "planb", "check", ...paths, "--format", format], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });

const annotated = planb(input("format", "github") || "github");
if (annotated.error || annotated.status === null) {
  console.log(`::error title=planb check::could not run planb from ${pkg}: ${annotated.error?.message ?? annotated.signal}`);
  process.exit(2);
}
process.stdout.write(annotated.stdout);
process.stderr.write(annotated.stderr);
const sarifFile = input("sarif-file", "planb.sarif");
if (sarifFile) {
  const sarif = planb("sarif");
  fs.writeFileSync(sarifFile, sarif.stdout);
}
if (process.env.GITHUB_OUTPUT) {
  fs.appendFileSync(process.env.GITHUB_OUTPUT, `exit-code=${annotated.status}\n`);
}
process.exitCode = input("fail-on", "error") === "never" ? 0 : annotated.status;
