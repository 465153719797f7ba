// Loads planb's WebAssembly and hands the page to it; all other logic is Rust.
import init, { start } from "./planb.js";

await init({ module_or_path: new URL("./planb_bg.wasm", import.meta.url) });
start();
// After the first visit the page works offline (the service worker caches this build's files).
// Browsers refuse it in some places (a wiki's iframe, private windows): offline use is optional.
navigator.serviceWorker?.register(new URL("../sw.js", import.meta.url), { scope: "../" }).catch(() => {});
