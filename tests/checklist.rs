//! `planb render --format checklist` (and `checklist-markdown`): the plan as a checklist for the
//! change window. Expected counts come from the plan's own sections (its checks, messages, stages,
//! ladder and checks after a fallback), which the checklist promises to list once each, numbered.

use planb::{Engine, Format, RenderOptions, Style};

fn plan_and(format: Format, example: &str) -> (planb::Plan, String) {
    let text = std::fs::read_to_string(format!("{}/examples/{example}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let spec = planb::parse_spec(&text).unwrap();
    let engine = Engine::new().unwrap();
    let plan = engine.plan(&spec).unwrap();
    let out = engine.render_plan(&plan, RenderOptions { format, style: Style::Detailed }).unwrap();
    (plan, out)
}

/// The steps to tick: every check before the deployment, every message to send, every stage, every
/// rung of the ladder, every check after a fallback, and closing the change.
fn steps(plan: &planb::Plan) -> usize {
    plan.validation.len() + plan.comms.rows.len() + plan.stages.len() + plan.ladder.len() + plan.post_fallback.len() + 1
}

#[test]
fn the_text_checklist_numbers_every_step_once_each_with_a_box_and_blanks() {
    for example in ["harness-blue-green-destructive.yaml", "minimal.yaml", "argo-rollouts-canary.yaml"] {
        let (plan, out) = plan_and(Format::Checklist, example);
        let lines: Vec<&str> = out.lines().collect();
        let numbered: Vec<(usize, usize)> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let (n, rest) = l.split_once(". [")?;
                Some((i, n.parse::<usize>().ok().filter(|_| rest.starts_with(' ') || rest.starts_with('x'))?))
            })
            .collect();
        let n = steps(&plan);
        assert_eq!(numbered.iter().map(|(_, k)| *k).collect::<Vec<_>>(), (1..=n).collect::<Vec<_>>(), "{example}");
        // Each step has its blanks before the next one starts.
        for (k, (at, _)) in numbered.iter().enumerate() {
            let end = numbered.get(k + 1).map_or(lines.len(), |(next, _)| *next);
            assert!(
                lines[*at..end].iter().any(|l| l.trim() == "Time ______  Initials ______"),
                "{example}: {}",
                lines[*at]
            );
        }
        // The ladder's rungs in order, each saying which fallback step it is, as their
        // preconditions name them ("Step 1 did not …").
        let first_rung = plan.validation.len() + plan.comms.rows.len() + plan.stages.len() + 1;
        for (i, rung) in plan.ladder.iter().enumerate() {
            let line = lines[numbered[first_rung - 1 + i].0];
            let expected = format!("{}. [ ] Fallback step {}: {}", first_rung + i, rung.step, rung.title);
            assert!(line.starts_with(&expected), "{example}: {line:?} is not {expected:?}");
        }
        // Every abort criterion is listed (not a step), with the decision owner, and a box to record
        // the call.
        let abort = out.split("ABORT IF").nth(1).unwrap().split("FALLBACK (").next().unwrap();
        assert!(abort.contains(&plan.abort.decision_owner), "{example}");
        for criterion in &plan.abort.criteria {
            assert!(abort.contains(&format!("  - {}", criterion.trigger)), "{example}: {}", criterion.trigger);
        }
        assert!(abort.contains("[ ] Fallback called at ______ by ______"), "{example}");
    }
}

#[test]
fn the_markdown_checklist_is_a_task_list_of_the_same_steps() {
    for example in ["harness-blue-green-destructive.yaml", "minimal.yaml"] {
        let (plan, out) = plan_and(Format::ChecklistMarkdown, example);
        let boxes: Vec<&str> = out.lines().filter(|l| l.starts_with("- [ ] **") || l.starts_with("- [x] **")).collect();
        assert_eq!(boxes.len(), steps(&plan), "{example}");
        for (k, line) in boxes.iter().enumerate() {
            assert!(line[6..].starts_with(&format!("**{}.**", k + 1)), "{example}: {line}");
            assert!(line.ends_with("· Time: ______ · Initials: ______"), "{example}: {line}");
        }
        // A check already done is ticked, as the plan marks it.
        let done = plan.validation.iter().filter(|c| c.status == planb::plan::Status::Done).count();
        assert_eq!(boxes.iter().filter(|l| l.starts_with("- [x]")).count(), done, "{example}");
    }
}
