#!/usr/bin/env node
// `planb` for Node: the native binary's command line (src/cli/), compiled to WebAssembly, over
// Node's file system and streams. Same arguments, output and exit codes; no Rust toolchain needed:
//   npx planb check deploy/*.yaml --format sarif > planb.sarif
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { initSync, runCli } from "./planb.js";

initSync({ module: readFileSync(new URL("./planb_bg.wasm", import.meta.url)) });

// The reasons the native binary gives for the same failures (src/bin/planb/host.rs).
const REASONS = { ENOENT: "no such file", EACCES: "permission denied", EPERM: "permission denied" };
const failed = (e) => new Error(REASONS[e.code] ?? e.message);
const attempt = (f) => {
  try {
    return f();
  } catch (e) {
    throw failed(e);
  }
};
const FD = { stdout: 1, stderr: 2 };

/** Writes all of `text` to a stream, synchronously as the native binary does. */
function write(stream, text) {
  const bytes = Buffer.from(text, "utf8");
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(FD[stream], bytes, offset);
    } catch (e) {
      // A pipe whose reader went away is no error (`planb render x | head`); a full non-blocking
      // pipe is written again.
      if (e.code === "EPIPE") return;
      if (e.code !== "EAGAIN") throw failed(e);
    }
  }
}

const host = {
  readFile: (path) => attempt(() => readFileSync(path)),
  readStdin: () => attempt(() => readFileSync(0)),
  exists: (path) => existsSync(path),
  writeFile: (path, text) =>
    attempt(() => {
      const fd = openSync(path, "w");
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }),
  rename: (from, to) => attempt(() => renameSync(from, to)),
  removeFile: (path) => rmSync(path, { force: true }),
  write,
  isTerminal: (stream) => Boolean(process[stream].isTTY),
  env: (name) => process.env[name],
  cwd: () => process.cwd(),
  runId: () => process.pid,
};

process.exitCode = runCli(process.argv.slice(2), host);
