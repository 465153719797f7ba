//! The native `planb` binary: the library's command line (`planb::cli`) on the file system and the
//! terminal, with the site builder's progress bar and a faster allocator.

#[cfg(not(target_arch = "wasm32"))]
mod allocator;
#[cfg(not(target_arch = "wasm32"))]
mod build;
#[cfg(not(target_arch = "wasm32"))]
mod host;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(planb::cli::run(std::env::args_os().skip(1).collect(), &host::Native));
}

/// The binary is native-only; this keeps `cargo test --target wasm32-unknown-unknown` building.
#[cfg(target_arch = "wasm32")]
fn main() {}
