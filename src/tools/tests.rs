use super::*;

/// Every cell of the matrix, unstated platform and strategy included.
fn cells() -> impl Iterator<Item = (Option<Platform>, Option<Strategy>, Situation)> {
    let platforms = std::iter::once(None).chain(Platform::ALL.map(Some));
    platforms.flat_map(|p| {
        let strategies = [None, Some(Strategy::Canary), Some(Strategy::BlueGreen), Some(Strategy::Rolling)]
            .into_iter()
            .chain([Some(Strategy::AllAtOnce)]);
        strategies.flat_map(move |s| Situation::ALL.map(move |sit| (p, s, sit)))
    })
}

fn every_file() -> Vec<(Tool, ToolKnowledge)> {
    TOOL_FILES.iter().map(|(tool, text)| (*tool, parse_tool(*tool, text).unwrap())).collect()
}

#[test]
fn every_tool_is_listed_once_with_its_spec_spelling() {
    for (i, tool) in Tool::ALL.iter().enumerate() {
        assert_eq!(serde_json::to_value(tool).unwrap(), tool.key(), "{tool:?}");
        assert!(!Tool::ALL[..i].contains(tool), "{tool:?} twice");
    }
    for (i, platform) in Platform::ALL.iter().enumerate() {
        assert_eq!(serde_json::to_value(platform).unwrap(), platform.key(), "{platform:?}");
        assert!(!Platform::ALL[..i].contains(platform), "{platform:?} twice");
    }
}

#[test]
fn every_knowledge_file_parses_and_cites_only_known_sources() {
    let k = Knowledge::load().unwrap();
    for (tool, facts) in every_file() {
        for key in facts.cited_sources() {
            assert!(facts.sources.contains_key(key), "{tool:?} cites unknown source {key}");
        }
        for (key, url) in &facts.sources {
            assert!(url.starts_with("https://"), "{tool:?}: source {key} is not a web address: {url}");
            assert!(facts.cited_sources().any(|c| c == key), "{tool:?}: source {key} is listed but never cited");
        }
    }
    for p in Platform::ALL {
        assert!(k.platforms.contains_key(p.key()), "platforms.yaml lacks {p:?}");
    }
}

/// Every cell finds a case; a supported one says how to leave the new version (first deployment)
/// or how to return to the earlier one (update); every claim has a source or is marked to confirm.
#[test]
fn the_matrix_has_no_hole_and_no_claim_without_a_source() {
    for (tool, facts) in every_file() {
        for (platform, strategy, situation) in cells() {
            let cell = format!("{tool:?} × {platform:?} × {strategy:?} × {situation:?}");
            let case = facts.case(platform, strategy, situation).unwrap_or_else(|| panic!("{cell}: no case"));
            if facts.unsupported(platform, strategy, situation).is_some() {
                continue;
            }
            match situation {
                Situation::First => assert!(case.remove.is_some(), "{cell}: a first deployment needs `remove`"),
                Situation::Update => assert!(case.undo.is_some(), "{cell}: an update needs `undo`"),
            }
        }
        for (i, case) in facts.cases.iter().enumerate() {
            assert!(
                !case.sources.is_empty() || !case.to_confirm.is_empty(),
                "{tool:?}: case {i} states facts with no source and nothing to confirm"
            );
            for p in &case.when.platforms {
                assert!(facts.platforms.contains(p), "{tool:?}: case {i} is for {p:?}, which the tool does not list");
            }
            let reachable = cells().any(|(p, s, sit)| facts.case(p, s, sit).is_some_and(|c| std::ptr::eq(c, case)));
            assert!(reachable, "{tool:?}: case {i} is hidden behind earlier cases");
        }
    }
}

#[test]
fn every_tool_has_its_own_knowledge_file_with_a_snippet() {
    let k = Knowledge::load().unwrap();
    let known: Vec<Tool> = k.known_tools().map(|(t, _)| t).collect();
    for tool in Tool::ALL.into_iter().filter(|t| *t != Tool::Other) {
        assert!(known.contains(&tool), "{tool:?} has no knowledge file");
        let facts = k.tool(tool);
        assert_eq!(facts.id, tool.key(), "the file's id is the spec's spelling");
        let snippet = facts.snippet.as_ref().unwrap_or_else(|| panic!("{tool:?} has no snippet"));
        assert!(snippet.template.starts_with("snippets/"), "{tool:?}");
        assert!(!facts.sources.is_empty(), "{tool:?} cites no source");
    }
    // The neutral file is the fallback of every unsupported cell: it supports every platform.
    assert_eq!(k.neutral.platforms, Platform::ALL);
}

#[test]
fn every_platform_command_line_is_a_command_or_a_todo() {
    let k = Knowledge::load().unwrap();
    for (key, p) in &k.platforms {
        for line in p.remove.iter().chain(&p.scale_to_zero) {
            assert!(line.run.is_some() != line.todo.is_some(), "{key}: a line is exactly one of run or todo");
        }
    }
}

#[test]
fn fill_replaces_known_placeholders_only() {
    let out = fill(
        "kubectl -n {namespace} delete {workload} {unknown} {",
        &[("namespace", "pay"), ("workload", "deploy/api")],
    );
    assert_eq!(out, "kubectl -n pay delete deploy/api {unknown} {");
    // Values are inserted literally, never re-expanded.
    assert_eq!(fill("{a}", &[("a", "{a}")]), "{a}");
}

#[test]
fn a_case_covers_what_its_lists_name_and_an_unstated_value_only_when_it_names_nothing() {
    let when = When { platforms: vec![Platform::Ecs], strategies: vec![], situation: Some(Situation::First) };
    assert!(when.covers(Some(Platform::Ecs), None, Situation::First));
    assert!(when.covers(Some(Platform::Ecs), Some(Strategy::Canary), Situation::First));
    assert!(!when.covers(Some(Platform::Ecs), None, Situation::Update));
    assert!(!when.covers(Some(Platform::Kubernetes), None, Situation::First));
    assert!(!when.covers(None, None, Situation::First), "an unstated platform is not ECS");
    assert!(When::default().covers(None, None, Situation::Update));
}
