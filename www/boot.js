// Runs before the first paint. The page carries the first example's plan, built in by the site build
// (src/wasm/app/prerender.rs); a visitor with a spec of their own (a link, or one saved in this
// browser under planb's key, src/wasm/app/state.rs) must not see it while planb starts.
try {
  if (location.hash.length > 1 || localStorage.getItem("planb.spec.v1") !== null) {
    document.documentElement.classList.add("own-spec");
  }
} catch {
  // Storage blocked: nothing saved, so the example is what planb will show.
}
