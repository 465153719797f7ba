//! `schema/planb-types.d.ts`: the TypeScript types of the Wasm API, generated from the same Rust types
//! the CLI uses (their JSON Schemas, as schemars derives them in tests). The Wasm build puts the file
//! into `planb.d.ts` (src/wasm/api.rs); this test keeps it current: `PLANB_BLESS=1 cargo test`
//! rewrites it after a type changes.
//!
//! The converter knows the subset of JSON Schema that schemars emits for planb's types (objects,
//! properties, required, enums, const, oneOf/anyOf, `$ref`s to `$defs`, arrays, nullable types) and
//! fails on any other keyword, so a new construct cannot be translated wrongly without notice.
//! Inputs (the spec, render options) are read with serde's deserialize rules: a field with a default
//! may be left out. Outputs (the plan, findings, error kinds) with its serialize rules: every field
//! that is always written is required, `null` where Rust has `None`.
//!
//! Written here rather than with the npm package json-schema-to-typescript 16.0.0: that needs a Node
//! step in the build and 25 MB of packages (prettier among them; `npm install`, measured), for what is
//! here one conversion of the schemas the tests already derive.

use std::collections::BTreeSet;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value};

const HEADER: &str = "\
// planb's types, generated from its Rust types by src/typescript.rs: do not edit.
// `PLANB_BLESS=1 cargo test` rewrites this file; a stale copy fails the tests.
";

/// What the Wasm API adds around the model: the error it throws, the examples, the schema object.
/// Not Rust types that serde writes, so written here; tests/browser/types.test.mjs checks that a
/// thrown error and an example have exactly these fields.
const API_TYPES: &str = r#"
/**
 * What every function throws for bad input: an `Error` named `PlanbError`. Its `message` is the whole
 * text (position, field and detail); the fields let a caller react without parsing it.
 */
export interface PlanbError extends Error {
    name: "PlanbError";
    kind: ErrorKind;
    /** The message alone, without position and field. */
    detail: string;
    /** The field path, e.g. `rollout.steps[1]`; null for the document root or when unknown. */
    path: string | null;
    /** The line in the spec text (1-based); null when unknown. */
    line: number | null;
    /** The column (1-based, counting characters); null when unknown. */
    column: number | null;
}

/**
 * A file given to the importer's `importPipeline()`: the name it is reported under (a conventional
 * name such as `.gitlab-ci.yml` helps tell its format) and its text.
 */
export interface PipelineFile {
    name: string;
    text: string;
}

/**
 * What `runCli(args, host)` runs the command line over: the npm package's `planb.mjs` passes Node's
 * `fs` and `process`. Each function is synchronous; a failure is thrown as an `Error` whose message
 * is the reason in a few words ("no such file").
 */
export interface CliHost {
    readFile(path: string): Uint8Array;
    readStdin(): Uint8Array;
    exists(path: string): boolean;
    writeFile(path: string, text: string): void;
    rename(from: string, to: string): void;
    removeFile(path: string): void;
    write(stream: "stdout" | "stderr", text: string): void;
    isTerminal(stream: "stdout" | "stderr"): boolean;
    env(name: string): string | undefined;
    cwd(): string;
    runId(): number;
}

/** An example spec shipped with planb: its file name and its text (YAML or JSON). */
export interface Example {
    name: string;
    text: string;
}

/** A JSON Schema (draft 2020-12) document: `schema()` returns the spec's (`schema/spec.schema.json`). */
export interface JsonSchema {
    $schema?: string;
    title?: string;
    description?: string;
    type?: string | string[];
    properties?: { [name: string]: JsonSchema };
    required?: string[];
    $defs?: { [name: string]: JsonSchema };
    [keyword: string]: unknown;
}
"#;

/// Keywords that only validate or document a value; TypeScript has no place for them.
const IGNORED: &[&str] = &["description", "default", "format", "minimum", "maximum", "minLength", "pattern", "title"];

fn definitions(settings: SchemaSettings, add: impl FnOnce(&mut SchemaGenerator)) -> Map<String, Value> {
    let mut generator = SchemaGenerator::new(settings);
    add(&mut generator);
    generator.take_definitions(true)
}

fn add<T: JsonSchema>(generator: &mut SchemaGenerator) {
    let reference = generator.subschema_for::<T>();
    assert!(reference.get("$ref").is_some(), "{} is inlined, not a definition", T::schema_name());
}

/// The whole file.
fn generate() -> String {
    let inputs = definitions(SchemaSettings::draft2020_12().for_deserialize(), |g| {
        add::<crate::RenderOptions>(g);
        add::<crate::Spec>(g);
    });
    let outputs = definitions(SchemaSettings::draft2020_12().for_serialize(), |g| {
        add::<crate::ErrorKind>(g);
        add::<crate::Plan>(g);
        add::<crate::import::Imported>(g);
    });
    for (name, schema) in &inputs {
        if let Some(other) = outputs.get(name) {
            assert_eq!(schema, other, "{name} is both an input and an output type, with different schemas");
        }
    }
    let mut out = Writer { defs: [&inputs, &outputs], done: BTreeSet::new(), text: HEADER.to_string() };
    out.section("How to render: `render(spec, options)`.", &["RenderOptions"]);
    out.section("What the functions throw, and what `examples()` and `schema()` return.", &["ErrorKind"]);
    out.text += API_TYPES;
    out.section(
        "The spec (input; `schema/spec.schema.json`). The functions take its YAML or JSON text,\n\
         such as `JSON.stringify(spec)` of a `Spec`.",
        &["Spec"],
    );
    out.section(
        "The plan (output of `plan()`; `schema/plan.schema.json`) and its findings (`check()`).",
        &["Plan", "Finding"],
    );
    out.section(
        "What the importer's `importPipeline(files)` returns (the page's second module, `planb_import.js`).",
        &["Imported"],
    );
    let left: Vec<_> = inputs.keys().chain(outputs.keys()).filter(|name| !out.done.contains(*name)).collect();
    assert!(left.is_empty(), "definitions not reached from a root: {left:?}");
    out.text
}

struct Writer<'a> {
    defs: [&'a Map<String, Value>; 2],
    done: BTreeSet<String>,
    text: String,
}

impl Writer<'_> {
    fn lookup(&self, name: &str) -> &Value {
        self.defs.iter().find_map(|d| d.get(name)).unwrap_or_else(|| panic!("no definition {name}"))
    }

    /// A comment, then each root and every definition it reaches, depth first in field order.
    fn section(&mut self, comment: &str, roots: &[&str]) {
        self.text += "\n";
        for line in comment.lines() {
            self.text += &format!("// {line}\n");
        }
        let mut stack: Vec<String> = roots.iter().rev().map(|r| r.to_string()).collect();
        while let Some(name) = stack.pop() {
            if !self.done.insert(name.clone()) {
                continue;
            }
            let schema = self.lookup(&name).clone();
            self.text += &declaration(&name, &schema);
            let mut refs = Vec::new();
            references(&schema, &mut refs);
            stack.extend(refs.into_iter().rev());
        }
    }
}

/// The names of the definitions a schema refers to, in order.
fn references(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(ref_name(r).to_string());
            }
            map.values().for_each(|v| references(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

fn ref_name(reference: &str) -> &str {
    reference
        .strip_prefix("#/$defs/")
        .or_else(|| reference.strip_prefix("#/definitions/"))
        .unwrap_or_else(|| panic!("unsupported $ref {reference}"))
}

fn description(schema: &Value) -> Option<&str> {
    schema.get("description").and_then(Value::as_str)
}

/// A JSDoc comment at `indent`, or nothing.
fn doc(text: Option<&str>, indent: &str) -> String {
    let Some(text) = text else { return String::new() };
    let text = text.replace("*/", "*\\/");
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() == 1 {
        return format!("{indent}/** {text} */\n");
    }
    let mut out = format!("{indent}/**\n");
    for line in lines {
        out += &format!("{indent} *{}{line}\n", if line.is_empty() { "" } else { " " });
    }
    out + &format!("{indent} */\n")
}

fn declaration(name: &str, schema: &Value) -> String {
    let mut out = format!("\n{}", doc(description(schema), ""));
    if is_object(schema) {
        out += &format!("export interface {name} {}\n", object(schema, "").trim_start());
        return out;
    }
    let members = union(schema);
    let one_line = members.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(" | ");
    if members.iter().all(|(d, _)| d.is_none()) && one_line.len() + name.len() < 100 {
        out += &format!("export type {name} = {one_line};\n");
    } else {
        out += &format!("export type {name} =\n");
        for (d, t) in &members {
            out += &doc(*d, "    ");
            out += &format!("    | {t}\n");
        }
        out.insert(out.len() - 1, ';');
    }
    out
}

fn is_object(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
}

/// Fails on a keyword outside `allowed` and the documentation ones.
fn only(schema: &Value, allowed: &[&str]) {
    let map = schema.as_object().unwrap_or_else(|| panic!("unsupported schema {schema}"));
    for key in map.keys() {
        assert!(
            allowed.contains(&key.as_str()) || IGNORED.contains(&key.as_str()),
            "unsupported schema keyword {key:?} in {schema}"
        );
    }
}

/// An object type `{ ... }` whose members are indented one level past `indent`.
fn object(schema: &Value, indent: &str) -> String {
    only(schema, &["type", "properties", "required", "additionalProperties"]);
    if let Some(extra) = schema.get("additionalProperties") {
        assert_eq!(extra, &Value::Bool(false), "additionalProperties other than false: {schema}");
    }
    let required: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties = schema.get("properties").and_then(Value::as_object).expect("an object with properties");
    let inner = format!("{indent}    ");
    let mut out = String::from("{\n");
    for (key, property) in properties {
        out += &doc(description(property), &inner);
        let optional = if required.contains(key.as_str()) { "" } else { "?" };
        out += &format!("{inner}{}{optional}: {};\n", property_name(key), type_of(property, &inner));
    }
    assert!(required.iter().all(|r| properties.contains_key(*r)), "a required field without a property: {schema}");
    out + indent + "}"
}

fn property_name(key: &str) -> String {
    let mut chars = key.chars();
    let identifier = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        key.to_string()
    } else {
        Value::String(key.to_string()).to_string()
    }
}

/// The type of a schema, inline.
fn type_of(schema: &Value, indent: &str) -> String {
    let members = union_at(schema, indent);
    members.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(" | ")
}

fn union(schema: &Value) -> Vec<(Option<&str>, String)> {
    union_at(schema, "")
}

/// The members of the union a schema stands for (a single type is a union of one); a variant of a
/// `oneOf` or `anyOf` that is one type keeps its description.
fn union_at<'s>(schema: &'s Value, indent: &str) -> Vec<(Option<&'s str>, String)> {
    let own = |t: String| vec![(None, t)];
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        only(schema, &["$ref"]);
        return own(ref_name(r).to_string());
    }
    if let Some(value) = schema.get("const") {
        only(schema, &["const", "type"]);
        return own(value.to_string());
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        only(schema, &["enum", "type"]);
        return values.iter().map(|v| (None, v.to_string())).collect();
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(variants) = schema.get(keyword).and_then(Value::as_array) {
            only(schema, &[keyword]);
            return variants
                .iter()
                .flat_map(|v| match union_at(v, indent).as_slice() {
                    [(None, t)] => vec![(description(v), t.clone())],
                    members => members.to_vec(),
                })
                .collect();
        }
    }
    match schema.get("type") {
        Some(Value::Array(types)) => {
            only(schema, &["type"]);
            types.iter().map(|t| (None, primitive(t.as_str().expect("a type name")))).collect()
        }
        Some(Value::String(t)) if t == "object" => own(object(schema, indent)),
        Some(Value::String(t)) if t == "array" => {
            only(schema, &["type", "items"]);
            let items = union_at(schema.get("items").expect("an array's items"), indent);
            let item = items.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(" | ");
            own(if items.len() > 1 { format!("({item})[]") } else { format!("{item}[]") })
        }
        Some(Value::String(t)) => {
            only(schema, &["type"]);
            own(primitive(t))
        }
        _ => panic!("unsupported schema {schema}"),
    }
}

fn primitive(json_type: &str) -> String {
    match json_type {
        "string" => "string",
        "integer" | "number" => "number",
        "boolean" => "boolean",
        "null" => "null",
        other => panic!("unsupported type {other:?} here"),
    }
    .to_string()
}

#[cfg(test)]
mod generated_files {
    #[test]
    fn typescript_types_match_the_rust_types() {
        crate::test_support::assert_generated("schema/planb-types.d.ts", &super::generate());
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nullable_optional_and_union_fields() {
        let schema = json!({
            "description": "A thing.",
            "type": "object",
            "properties": {
                "name": { "description": "Its name.\nTwo lines.", "type": "string", "minLength": 1 },
                "tier": { "anyOf": [{ "$ref": "#/$defs/Tier" }, { "type": "null" }], "default": null },
                "steps": { "type": "array", "items": { "type": ["integer", "string"] } },
                "kind": { "type": "string", "const": "one" },
                "odd-key": { "type": "object", "properties": { "a": { "type": "boolean" } }, "additionalProperties": false }
            },
            "required": ["name", "kind"]
        });
        assert_eq!(
            declaration("Thing", &schema),
            "
/** A thing. */
export interface Thing {
    /**
     * Its name.
     * Two lines.
     */
    name: string;
    tier?: Tier | null;
    steps?: (number | string)[];
    kind: \"one\";
    \"odd-key\"?: {
        a?: boolean;
    };
}
"
        );
    }

    #[test]
    fn enums_become_unions_with_their_variants_documented() {
        let plain = json!({ "type": "string", "enum": ["low", "high"] });
        assert_eq!(declaration("Level", &plain), "\nexport type Level = \"low\" | \"high\";\n");
        let documented = json!({ "oneOf": [
            { "type": "string", "enum": ["a", "b"] },
            { "description": "The last.", "type": "string", "const": "c" }
        ] });
        assert_eq!(
            declaration("Letter", &documented),
            "\nexport type Letter =\n    | \"a\"\n    | \"b\"\n    /** The last. */\n    | \"c\";\n"
        );
    }

    #[test]
    #[should_panic(expected = "unsupported schema keyword \"patternProperties\"")]
    fn an_unknown_keyword_fails_instead_of_being_dropped() {
        declaration("Map", &json!({ "type": "object", "properties": {}, "patternProperties": {} }));
    }
}
