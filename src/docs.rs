//! The generated reference pages: `docs/tools.md` from the knowledge files, `docs/findings.md`
//! from the rules. Tests keep both current (`PLANB_BLESS=1 cargo test` rewrites them).

use crate::findings::{catalogue, Scope};
use crate::render::escape::markdown as md;
use crate::spec::{Platform, Situation, Strategy};
use crate::tools::{Case, Knowledge, ToolKnowledge};

/// The tool support page, `docs/tools.md`.
pub fn tools_markdown(knowledge: &Knowledge) -> String {
    let mut out = String::from(
        "# Deployment tools\n\n<!-- Generated from templates/tools/*.yaml by `cargo test`; do not edit by hand. -->\n\n\
         What planb knows of each tool: its words, what its own rollback does on each platform, with each \
         strategy, on a **first** deployment and on an **update**, the explicit fallback that replaces or uses \
         it, and the config snippet each plan carries (every snippet passes the tool's own validator in \
         planb's tests). Every fact cites its source, a page of the tool's documentation or a file of its \
         source at a commit, or is marked **to confirm**.\n\n\
         | tool | platforms | first deployment: fallback | update: way back | snippet |\n\
         |---|---|---|---|---|\n",
    );
    for (tool, k) in knowledge.known_tools() {
        let snippet = k.snippet.as_ref().map_or("none".to_string(), |s| {
            format!("{} ({}; validated by {})", md(&s.title), s.language, md(&s.validated_by))
        });
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} | {} |\n",
            md(&k.name),
            tool.key(),
            platforms(k),
            md(&k.first_deploy_fallback),
            md(&k.update_fallback),
            snippet,
        ));
    }
    for (tool, k) in knowledge.known_tools() {
        out.push_str(&format!(
            "\n## {}\n\n<a id=\"{}\"></a>`deployment.tool: {}` · platforms: {}\n\n",
            md(&k.name),
            tool.key(),
            tool.key(),
            platforms(k)
        ));
        out.push_str("| platform | strategy | situation | what the tool's rollback does | planb's fallback | sources |\n|---|---|---|---|---|---|\n");
        for case in &k.cases {
            out.push_str(&case_row(case));
        }
        out.push_str(&format!(
            "\n**Verification.** First deployment: {} Update: {} {}{}\n",
            md(k.verification.first_deploy.trim()),
            md(k.verification.update.trim()),
            md(k.verification.remedy.trim()),
            cite(&k.verification.sources)
        ));
        for (title, text, sources) in [
            ("Approvals", &k.approvals, &k.approval_sources),
            ("Failure strategy", &k.failure_strategy, &k.failure_strategy_sources),
            ("Notifications", &k.notifications, &k.notification_sources),
            ("Chained pipelines", &k.chained_pipelines, &k.chained_sources),
            ("Redeploying an earlier release", &k.post_deployment_rollback, &k.post_deployment_sources),
        ] {
            out.push_str(&format!("\n**{title}.** {}{}\n", md(text.trim()), cite(sources)));
        }
        if !k.findings.is_empty() {
            let ids: Vec<String> = k
                .findings
                .iter()
                .map(|f| format!("[{}](findings.md#{}) {}", f.id, f.id.to_lowercase(), f.name))
                .collect();
            out.push_str(&format!("\n**Findings.** {}\n", ids.join(", ")));
        }
        out.push_str("\n**Sources.**\n\n");
        for (key, url) in &k.sources {
            out.push_str(&format!("- `{key}`: <{url}>\n"));
        }
    }
    out
}

fn platforms(k: &ToolKnowledge) -> String {
    k.platforms.iter().map(|p| p.key()).collect::<Vec<_>>().join(", ")
}

/// ` (sources: A, B)`, or nothing when the text cites none.
fn cite(keys: &[String]) -> String {
    match keys.len() {
        0 => String::new(),
        _ => format!(" (sources: {})", keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
    }
}

fn case_row(case: &Case) -> String {
    let list = |items: Vec<&'static str>| if items.is_empty() { "any".to_string() } else { items.join(", ") };
    let platforms = list(case.when.platforms.iter().map(|p: &Platform| p.key()).collect());
    let strategies = list(case.when.strategies.iter().map(|s: &Strategy| s.key()).collect());
    let situation = case.when.situation.map_or("any", Situation::key);
    let mut rollback = md(case.rollback.trim());
    for fact in &case.to_confirm {
        rollback.push_str(&format!(" **To confirm:** {}", md(fact)));
    }
    let fallback = match (&case.unsupported, &case.remove, &case.undo) {
        (Some(why), _, _) => format!("**Not supported:** {}", md(why)),
        (None, remove, undo) => {
            let mut parts = Vec::new();
            if let Some(r) = remove {
                parts.push(format!("First: {}", md(r.trim())));
            }
            if let Some(u) = undo {
                parts.push(format!("Update: {} ({})", md(u.title.trim()), md(u.how.trim())));
            }
            parts.join(" ")
        }
    };
    let sources = case.sources.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    format!("| {platforms} | {strategies} | {situation} | {rollback} | {fallback} | {sources} |\n")
}

/// The rules documentation page, `docs/findings.md`: the built-in rules and the tool-specific
/// findings of the knowledge files.
pub fn findings_markdown(knowledge: &Knowledge) -> String {
    let rules = catalogue(knowledge).unwrap_or_default();
    let mut md = String::from(
        "# planb findings\n\n<!-- Generated from src/findings/rules.rs, templates/tools/*.yaml, templates/lint/*.yaml and src/plan/risk.rs by `cargo test`; do not edit by hand. -->\n\n\
         `planb check` exits 1 when any error-level finding fires, 0 otherwise.\n\n\
         | id | name | severity |\n|---|---|---|\n",
    );
    for r in &rules {
        let scope = r.scope_name();
        let name = if scope.is_empty() { r.name.to_string() } else { format!("{} ({scope})", r.name) };
        md.push_str(&format!("| [{}](#{}) | {name} | {} |\n", r.id, r.id.to_lowercase(), r.severity));
    }
    let mut last = Scope::Spec;
    for r in &rules {
        match (last, r.scope) {
            (Scope::Spec, Scope::Tool(_)) => md.push_str(
                "\n## Tool-specific findings\n\nDeclared as data in `templates/tools/<tool>.yaml` (`findings:`); they fire only when \
                 `deployment.tool` names that tool.\n",
            ),
            (Scope::Spec | Scope::Tool(_), Scope::PipelineFile(_)) => md.push_str(
                "\n## Pipeline file findings\n\n`planb check` on a pipeline file (`planb check rollout.yaml`) lints the file itself. \
                 Each finding names the file, line and column of the field it is about. Declared as data in \
                 `templates/lint/<tool>.yaml`, over the facts `src/pipeline/` reads from the file.\n",
            ),
            _ => {}
        }
        last = r.scope;
        let scope = r.scope_name();
        let (scope, sources) = match r.scope {
            Scope::Spec => (String::new(), String::new()),
            _ => {
                let links: Vec<String> = r.sources.iter().map(|(key, url)| format!("[{key}]({url})")).collect();
                (format!(" · {scope}"), format!("Sources: {}\n\n", links.join(", ")))
            }
        };
        md.push_str(&format!(
            "\n## {}\n\n**{}**{scope} · severity **{}**\n\n{}\n\n**Fix:** {}\n\n{sources}Fires on:\n\n```{lang}\n{}```\n\nDoes not fire on:\n\n```{lang}\n{}```\n",
            r.id, r.name, r.severity, r.why, r.fix, r.fires_on, r.quiet_on, lang = r.example_language()
        ));
    }
    md.push_str(&risk_markdown());
    md
}

/// The risk level's rules (src/plan/risk.rs), factor → level.
fn risk_markdown() -> String {
    let mut md = String::from(
        "\n## Risk level\n\nEvery plan states a risk level with its reasons. The level is the highest that any \
         row below calls for, and low when none applies; each row applies once per item it names.\n\n\
         | when | level |\n|---|---|\n",
    );
    for factor in crate::plan::risk::FACTORS {
        md.push_str(&format!("| {} | {} |\n", factor.when, factor.level.as_str()));
    }
    md
}

#[cfg(test)]
mod generated_files {
    use crate::tools::Knowledge;

    #[test]
    fn tools_docs_match_the_knowledge_files() {
        crate::test_support::assert_generated("docs/tools.md", &super::tools_markdown(&Knowledge::load().unwrap()));
    }

    #[test]
    fn findings_docs_match_the_rules() {
        crate::test_support::assert_generated(
            "docs/findings.md",
            &super::findings_markdown(&Knowledge::load().unwrap()),
        );
    }

    /// Every claim in docs/tools.md has a source or a "to confirm" mark: a case row with no
    /// source must say what is to confirm.
    #[test]
    fn no_case_row_lacks_a_source_or_a_to_confirm_mark() {
        let docs = super::tools_markdown(&Knowledge::load().unwrap());
        for row in docs.lines().filter(|l| l.starts_with("| ") && l.matches(" | ").count() == 5) {
            let cited = row.trim_end_matches(" |").rsplit(" | ").next().unwrap_or("");
            if cited == "sources" || row.starts_with("|---") {
                continue;
            }
            assert!(!cited.trim().is_empty() || row.contains("**To confirm:**"), "a claim without a source: {row}");
        }
    }
}
