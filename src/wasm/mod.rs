//! The Wasm face: the library's pipeline for JavaScript, and the page that runs on it.
//!
//! Compiled only for `wasm32`; everything here is a thin layer over the same `Spec`, `Engine`
//! and templates the CLI uses.

pub mod api;
mod app;
