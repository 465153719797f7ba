//! Bad specs give one clear error naming the line, column, field and what was expected.

fn error(text: &str) -> String {
    planb::parse_spec(text).unwrap_err().to_string()
}

#[test]
fn errors_name_position_field_and_expectation() {
    let cases: &[(&str, &str)] = &[
        ("component:\n  nmae: a\n", "2:3: component.nmae: unknown field `nmae`, expected one of"),
        ("component: {}\n", "1:12: component: missing field `name`"),
        ("component: { name: \"  \" }\n", "1:20: component.name: expected a non-empty name"),
        ("deployment: { tool: harness }\n", "1:1: missing field `component`"),
        ("component: { name: a }\nrollout: { strategy: cannary }\n", "2:22: rollout.strategy: unknown variant `cannary`, expected one of `canary`, `blue-green`, `rolling`, `all-at-once`"),
        ("component: { name: a }\nrollout: { bake_time: 15 }\n", "2:23: rollout.bake_time: expected a duration with a unit (s, m, h or d), e.g. \"15m\""),
        ("component: { name: a }\nrollout: { steps: [10, { percent: 0 }] }\n", "2:35: rollout.steps[1].percent: expected a percentage 1–100, found 0"),
        ("component: { name: a }\nkill_switches:\n  - kind: flag\n", "3:11: kill_switches[0].kind: unknown variant `flag`"),
        ("component: { name: a }\ndeployment: { first_deployment: yes }\n", "2:33: deployment.first_deployment: invalid type: string \"yes\", expected a boolean"),
        ("component: { name: a }\nverification: { kpis: [{ threshold: high }] }\n", "2:37: verification.kpis[0].threshold: invalid type: string \"high\", expected f64"),
        ("component: { name: a }\nchange: { window: { start: \"03/12/2026 20:00\" } }\n", "2:28: change.window.start: expected a date and time like \"2026-12-03 20:00\""),
        ("component: { name: a }\npeople: { incident_lead: [a] }\n", "2:26: people.incident_lead: invalid type: sequence, expected a name, or a mapping with `name` and `contact`"),
        ("component: { name: a }\ncomponent: { name: b }\n", "2:1: duplicate key `component`"),
        ("component: { name: a\n", "2:1: while parsing a flow mapping"),
        ("- a\n", "1:1: expected a mapping of spec sections, found a list"),
        ("", "1:1: the spec is empty"),
        ("component: { name: a }\n---\ncomponent: { name: b }\n", "2:1: expected a single document"),
        ("{\"component\": {\"name\": \"a\"}, \"rollout\": {\"steps\": [101]}}", "1:52: rollout.steps[0]: expected a percentage 1–100, found 101"),
        // A value of the wrong type names what the field takes (serde: "invalid type: …, expected …").
        ("component: { name: a }\nrollout: { steps: [{ percent: [5] }] }\n", "2:31: rollout.steps[0].percent: invalid type: sequence, expected a percentage 1–100"),
        ("component: { name: a }\nrollout: { steps: [[10]] }\n", "2:20: rollout.steps[0]: invalid type: sequence, expected a percentage 1–100, or a mapping with `percent` and `bake_time`"),
        ("component: { name: a }\nrollout: { bake_time: [1] }\n", "2:23: rollout.bake_time: invalid type: sequence, expected a duration like 90s, 15m or 1h30m"),
        ("component: { name: a }\ndeployment: { previous_version: [1] }\n", "2:33: deployment.previous_version: invalid type: sequence, expected true, false, or the earlier version as a string"),
        ("component: { name: a }\nrollout: { steps: [\"150%\"] }\n", "2:20: rollout.steps[0]: expected a percentage 1–100, found 150"),
    ];
    for (input, expected) in cases {
        let message = error(input);
        assert!(message.starts_with(expected), "input {input:?}\n  got:      {message}\n  expected: {expected}…");
    }
}

#[test]
fn a_step_may_be_written_as_a_quoted_percentage() {
    let spec = planb::parse_spec("component: { name: a }\nrollout: { steps: [\"25%\", \" 50 \"] }\n").unwrap();
    let percents: Vec<u8> = spec.rollout.steps.iter().map(|s| s.percent.unwrap().get()).collect();
    assert_eq!(percents, [25, 50]);
}

#[test]
fn errors_carry_structured_fields() {
    let e = planb::parse_spec("component: { name: a }\nrollout: { steps: [10, 150] }\n").unwrap_err();
    assert_eq!(e.kind, planb::ErrorKind::InvalidSpec);
    assert_eq!(e.path.as_deref(), Some("rollout.steps[1]"));
    assert_eq!(e.mark, Some(planb::Mark { line: 2, column: 24 }));
    let syntax = planb::parse_spec("a: [").unwrap_err();
    assert_eq!(syntax.kind, planb::ErrorKind::Syntax);
}

#[test]
fn hostile_documents_are_refused_not_expanded() {
    // Each alias level multiplies the size by ten; without a limit this would be 10^9 nodes.
    let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        doc.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    assert!(error(&doc).contains("more than 200000 values"), "{}", error(&doc));
    let deep = format!("component: {}{}", "[".repeat(200), "]".repeat(200));
    assert!(error(&deep).contains("nesting deeper than 64 levels"));
}

#[test]
fn a_duplicate_among_many_keys_is_found_in_yaml_and_json() {
    // Past a few dozen keys the check uses a set; the first and a late key must still be caught.
    let keys: Vec<String> = (0..5000).map(|i| format!("k{i}: 1")).collect();
    for repeated in ["k0", "k40", "k4999"] {
        let yaml = format!("component: {{ name: a }}\nx:\n  {}\n  {repeated}: 2\n", keys.join("\n  "));
        assert!(error(&yaml).starts_with(&format!("5003:3: duplicate key `{repeated}`")), "{}", error(&yaml));
        let json: Vec<String> = (0..5000).map(|i| format!("\"k{i}\": 1")).collect();
        let json = format!("{{\"x\": {{{},\n \"{repeated}\": 2}}}}", json.join(", "));
        assert!(error(&json).starts_with(&format!("2:2: duplicate key `{repeated}`")), "{}", error(&json));
    }
    let distinct = format!("component: {{ name: a }}\nx:\n  {}\n", keys.join("\n  "));
    assert!(!error(&distinct).contains("duplicate"), "{}", error(&distinct));
}

/// What real JSON encoders write for a character beyond U+FFFF reads back as that character
/// (issue 22): Python's `json.dumps` and `jq -a` escape it as a UTF-16 pair; `JSON.stringify` writes
/// it as it is, and escapes a lone surrogate, which planb refuses with its line and column.
#[test]
fn real_encoders_output_reads_back() {
    fn run(program: &str, args: &[&str], input: &str) -> String {
        use std::io::Write;
        let mut child = std::process::Command::new(program)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} (scripts/setup.sh validators installs it): {e}"));
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{program} failed");
        String::from_utf8(out.stdout).unwrap()
    }
    let name = "launch 🚀 day 😀";
    let spec = format!(r#"{{"component": {{"name": "{name}", "description": "é and 漢字 and 👍"}}}}"#);
    let python = run("python3", &["-c", "import json, sys; print(json.dumps(json.load(sys.stdin)))"], &spec);
    assert!(python.contains(r"launch \ud83d\ude80 day \ud83d\ude00"), "{python}");
    let jq = run("jq", &["-a", "-c", "."], &spec);
    assert!(jq.contains(r"\ud83d\ude80"), "{jq}");
    let node = run(
        "node",
        &["-e", "process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(0, 'utf8'))))"],
        &spec,
    );
    for (encoder, text) in [("python", &python), ("jq", &jq), ("node", &node)] {
        let read = planb::parse_spec(text).unwrap_or_else(|e| panic!("{encoder}: {e}\n{text}"));
        assert_eq!(read.component.name, name, "{encoder}");
        assert_eq!(read.component.description.as_deref(), Some("é and 漢字 and 👍"), "{encoder}");
    }
    // JSON.stringify escapes a lone surrogate (a string cut in half between the two).
    let lone = run("node", &["-e", "process.stdout.write(JSON.stringify({ component: { name: 'cut \\ud83d' } }))"], "");
    assert_eq!(lone, r#"{"component":{"name":"cut \ud83d"}}"#);
    assert!(error(&lone).starts_with("1:27: a UTF-16 surrogate (\\ud83d) without its pair"), "{}", error(&lone));
}

/// Plain scalars resolve by YAML 1.2's core schema (yaml.org/spec/1.2.2, 10.3.2): `.inf`, `-.inf` and
/// `.nan` are floats (which a threshold refuses), a whole number past i64 is still a whole number, a
/// decimal is a float.
#[test]
fn plain_scalars_resolve_by_the_core_schema() {
    let threshold = |t: &str| {
        let spec =
            planb::parse_spec(&format!("component: {{ name: a }}\nverification: {{ kpis: [{{ threshold: {t} }}] }}"));
        spec.unwrap_or_else(|e| panic!("{t}: {e}")).verification.kpis[0].threshold.unwrap()
    };
    assert_eq!(threshold("2.5e1"), 25.0);
    // A threshold is a finite number: the infinities and NaN are floats, and refused as such.
    let refused =
        |t: &str| error(&format!("component: {{ name: a }}\nverification: {{ kpis: [{{ threshold: {t} }}] }}"));
    for (t, shown) in [
        (".inf", "floating point `inf`"),
        ("+.Inf", "floating point `inf`"),
        ("-.inf", "floating point `-inf`"),
        (".nan", "floating point `NaN`"),
    ] {
        let e = refused(t);
        assert!(e.contains(shown) && e.contains("verification.kpis[0].threshold"), "{t}: {e}");
    }
    // A step is a whole percentage: a float and a number past i64 say so, each as it was written.
    assert!(error("component: { name: a }\nrollout: { steps: [12.5] }")
        .contains("expected a whole percentage 1–100, found 12.5"));
    let huge = error("component: { name: a }\nrollout: { steps: [18446744073709551615] }");
    assert!(huge.contains("found 18446744073709551615"), "{huge}");
}

/// An empty section (`change:` with nothing under it) is an empty section, not an error; a name
/// that is not text says what a name must be.
#[test]
fn an_empty_section_reads_as_empty_and_a_name_must_be_text() {
    let spec = planb::parse_spec("component: { name: a }\nchange:\nrollout:\n").unwrap();
    assert!(spec.change.id.is_none() && spec.rollout.steps.is_empty());
    let e = error("component: { name: [] }");
    assert!(e.contains("component.name") && e.contains("expected a non-empty name"), "{e}");
}

/// A spec written back out (`planb link --decode`, the page's download) is block YAML: nested
/// mappings on their own lines under their key, as people write specs.
#[test]
fn a_spec_written_out_is_block_yaml_and_reads_back() {
    let text = "component: { name: a }\nchange: { window: { start: \"2026-12-03 20:00\", timezone: UTC } }\n\
                kill_switches: [{ kind: feature-flag, flag_key: f, owner: o }]\n";
    let spec = planb::parse_spec(text).unwrap();
    let yaml = planb::source::to_yaml(&spec);
    assert!(yaml.contains("change:\n  window:\n    start: "), "{yaml}");
    assert!(yaml.contains("kill_switches:\n  - kind: feature-flag\n    flag_key: f\n    owner: o\n"), "{yaml}");
    assert!(!yaml.contains('{'), "no flow mappings: {yaml}");
    assert_eq!(planb::parse_spec(&yaml).unwrap(), spec);
}

/// A canary without steps watches for its one bake time (the plan's timeline adds it once).
#[test]
fn a_canary_without_steps_bakes_for_its_bake_time() {
    let spec = planb::parse_spec("component: { name: a }\nrollout: { strategy: canary, bake_time: 20m }").unwrap();
    assert_eq!(spec.total_bake().to_string(), "20m");
    let staged =
        planb::parse_spec("component: { name: a }\nrollout: { strategy: canary, bake_time: 20m, steps: [10, 50] }")
            .unwrap();
    assert_eq!(staged.total_bake().to_string(), "40m");
}

/// A kind's key is the spec's own spelling of it (the plan and docs/tools.md print the key): each
/// reads back as that kind.
#[test]
fn keys_are_the_specs_spelling() {
    use planb::spec::{DataChangeKind, Situation};
    for situation in Situation::ALL {
        assert_eq!(serde_json::to_value(situation).unwrap(), serde_json::json!(situation.key()));
    }
    for kind in
        [DataChangeKind::Expand, DataChangeKind::Backfill, DataChangeKind::Contract, DataChangeKind::Destructive]
    {
        assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::json!(kind.key()));
        let spec = planb::parse_spec(&format!("component: {{ name: a }}\ndata_changes: [{{ kind: {} }}]", kind.key()))
            .unwrap();
        assert_eq!(spec.data_changes[0].kind, Some(kind));
    }
}

/// Aliases are counted at their size, so that a document within the limit reads whatever it reuses:
/// an anchor of 100 names used twice more is about 400 values, far under the limit.
#[test]
fn aliases_count_at_their_size() {
    let names: Vec<String> = (0..100).map(|i| format!("person{i}")).collect();
    let text = format!(
        "component: {{ name: a }}\nchange: {{ approvers: &people [{}] }}\npeople: {{ stakeholders: *people }}\nabort: {{ triggers: *people }}\n",
        names.join(", ")
    );
    let spec = planb::parse_spec(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (spec.change.approvers.len(), spec.people.stakeholders.len(), spec.abort.triggers.len()),
        (100, 100, 100)
    );
}

/// The page reads a spec from a JSON value (`parse_spec_json`) as from its text, limits included.
#[test]
fn a_json_value_past_the_node_limit_is_refused_as_its_text_is() {
    let approvers: Vec<serde_json::Value> = (0..200_001).map(|i| serde_json::json!(format!("a{i}"))).collect();
    let value = serde_json::json!({ "component": { "name": "a" }, "change": { "approvers": approvers } });
    let from_value = planb::parse_spec_json(&value).unwrap_err().to_string();
    let from_text = planb::parse_spec(&value.to_string()).unwrap_err().to_string();
    assert_eq!(from_value, from_text);
    assert!(from_value.contains("more than 200000 values"), "{from_value}");
}

/// An alias counts as the whole value it stands for, lists and mappings alike: a document with
/// aliases is refused for its size exactly when the same document with each alias written out is.
#[test]
fn an_alias_counts_as_the_value_it_repeats_at_the_limit() {
    let over =
        |text: &str| planb::parse_spec(text).err().is_some_and(|e| e.to_string().contains("more than 200000 values"));
    for anchored in ["[v, v, v, v, v, v, v, v, v, v]", "{ a: v, b: v, c: v, d: v, e: v }"] {
        let document = |aliased: bool, pad: usize| {
            let repeated = if aliased { "*x".to_string() } else { anchored.to_string() };
            let copies = vec![repeated; 1_000].join(", ");
            format!("x: &x {anchored}\ny: [{copies}]\npad: [{}]\n", vec!["p"; pad].join(", "))
        };
        // The longest pad the written-out document takes, by bisection.
        let (mut fits, mut too_long) = (0, 200_000);
        assert!(!over(&document(false, fits)) && over(&document(false, too_long)));
        while too_long - fits > 1 {
            let mid = (fits + too_long) / 2;
            if over(&document(false, mid)) {
                too_long = mid;
            } else {
                fits = mid;
            }
        }
        assert!(!over(&document(true, fits)), "{anchored}: the aliases count more than the values they repeat");
        assert!(over(&document(true, fits + 1)), "{anchored}: the aliases count less than the values they repeat");
    }
}
