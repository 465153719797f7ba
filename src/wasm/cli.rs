//! The command line in Node: the npm package's `planb` command (`npm/planb.mjs`) hands its arguments
//! and a host of Node's `fs` and `process` to [`run_cli`], which runs the very code of the native
//! binary (`crate::cli`) over it. The host's functions are synchronous, as the native ones are.

use std::ffi::OsString;
use std::path::Path;

use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::cli::{Host, Stream};

/// Runs `planb ARGS…` and returns its exit code. `host` has the functions of `npm/planb.mjs`:
/// `readFile(path)`, `readStdin()`, `exists(path)`, `writeFile(path, text)`, `rename(from, to)`,
/// `removeFile(path)`, `write(stream, text)`, `isTerminal(stream)`, `env(name)`, `cwd()`, `runId()`;
/// a failure is thrown as an `Error` whose message is the reason ("no such file").
#[wasm_bindgen(js_name = runCli)]
pub fn run_cli(args: Vec<String>, #[wasm_bindgen(unchecked_param_type = "CliHost")] host: JsValue) -> i32 {
    crate::cli::run(args.into_iter().map(OsString::from).collect(), &Node(host))
}

/// Node, as `npm/planb.mjs` hands it over.
struct Node(JsValue);

impl Node {
    fn call(&self, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
        let function = Reflect::get(&self.0, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| format!("the host has no function {name}"))?;
        function.apply(&self.0, &args.iter().collect()).map_err(|e| match e.dyn_ref::<js_sys::Error>() {
            Some(error) => String::from(error.message()),
            None => e.as_string().unwrap_or_else(|| "failed".to_string()),
        })
    }

    fn bytes(&self, name: &str, args: &[JsValue]) -> Result<Vec<u8>, String> {
        Ok(Uint8Array::new(&self.call(name, args)?).to_vec())
    }
}

fn path(path: &Path) -> JsValue {
    JsValue::from_str(&path.to_string_lossy())
}

fn stream(stream: Stream) -> JsValue {
    JsValue::from_str(match stream {
        Stream::Stdout => "stdout",
        Stream::Stderr => "stderr",
    })
}

impl Host for Node {
    fn read_file(&self, p: &Path) -> Result<Vec<u8>, String> {
        self.bytes("readFile", &[path(p)])
    }

    fn read_stdin(&self) -> Result<Vec<u8>, String> {
        self.bytes("readStdin", &[])
    }

    fn exists(&self, p: &Path) -> bool {
        self.call("exists", &[path(p)]).is_ok_and(|v| v.is_truthy())
    }

    fn write_file(&self, p: &Path, text: &str) -> Result<(), String> {
        self.call("writeFile", &[path(p), text.into()]).map(drop)
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), String> {
        self.call("rename", &[path(from), path(to)]).map(drop)
    }

    fn remove_file(&self, p: &Path) {
        let _ = self.call("removeFile", &[path(p)]);
    }

    fn write(&self, s: Stream, text: &str) -> Result<(), String> {
        self.call("write", &[stream(s), text.into()]).map(drop)
    }

    fn is_terminal(&self, s: Stream) -> bool {
        self.call("isTerminal", &[stream(s)]).is_ok_and(|v| v.is_truthy())
    }

    fn env(&self, name: &str) -> Option<String> {
        self.call("env", &[name.into()]).ok().and_then(|v| v.as_string())
    }

    fn working_directory(&self) -> Option<String> {
        self.call("cwd", &[]).ok().and_then(|v| v.as_string())
    }

    fn run_id(&self) -> u32 {
        self.call("runId", &[]).ok().and_then(|v| v.as_f64()).map_or(0, |n| n as u32)
    }
}
