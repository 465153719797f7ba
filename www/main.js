// Loads planb's WebAssembly and hands the page to it; all other logic is Rust.
import init, { start } from "./planb.js";

await init({ module_or_path: new URL("./planb_bg.wasm", import.meta.url) });
// The pipeline importer is a second module, loaded the first time the page is given a pipeline
// file: reading five pipeline formats would add a sixth to every first visit (src/wasm/mod.rs).
const importer = async () => {
  const module = await import("./planb_import.js");
  await module.default({ module_or_path: new URL("./planb_import_bg.wasm", import.meta.url) });
  return module;
};
// After the first visit the page works offline (the service worker caches this build's files).
// Browsers refuse it in some places (a wiki's iframe, private windows): offline use is optional.
// It is registered once the page has started: installing it fetches and stores every file again,
// which on a first visit competed with the start for the processor.
start(importer).finally(() => navigator.serviceWorker?.register(new URL("../sw.js", import.meta.url), { scope: "../" }).catch(() => {}));
