// Loads planb's WebAssembly and hands the page to it; all other logic is Rust.
import init, { start } from "./planb.js";

await init({ module_or_path: new URL("./planb_bg.wasm", import.meta.url) });
start();
