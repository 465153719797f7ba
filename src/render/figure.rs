//! The fallback ladder as a picture: abort triggers → actions, least drastic first → checks.
//!
//! Layout is computed here, deterministically (text is wrapped by character count); the SVG
//! template only draws what it is given.

use serde::Serialize;

use crate::plan::Plan;

const WIDTH: u32 = 900;
const PAD: u32 = 8;
const LINE: u32 = 16;
const GAP: u32 = 30;
const TOP: u32 = 44;
/// Columns: x, width, and characters per line at 12px (about 6.6px a character).
const TRIGGERS: (u32, u32, usize) = (16, 250, 36);
const ACTIONS: (u32, u32, usize) = (306, 320, 46);
const CHECKS: (u32, u32, usize) = (664, 220, 31);

/// A laid-out picture.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub width: u32,
    pub height: u32,
    pub boxes: Vec<FigureBox>,
    pub arrows: Vec<Arrow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureBox {
    /// `trigger`, `action`, `last` (fix forward) or `check`; the template picks colours by it.
    pub kind: &'static str,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// The first line of a trigger or action box is drawn bold.
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Arrow {
    pub x1: u32,
    pub y1: u32,
    pub x2: u32,
    pub y2: u32,
    pub label: Option<&'static str>,
}

impl Figure {
    /// Lays out the fallback ladder of a plan.
    pub fn ladder(plan: &Plan) -> Figure {
        let mut boxes = Vec::new();
        let mut arrows = Vec::new();

        let mut trigger_lines = vec!["Abort if any of:".to_string()];
        for c in &plan.abort.criteria {
            trigger_lines.extend(wrap(&format!("• {}", c.trigger), TRIGGERS.2));
        }
        trigger_lines.extend(wrap(
            &format!("Decides: {}, within {}", plan.abort.decision_owner, plan.abort.decision_window),
            TRIGGERS.2,
        ));
        let trigger = make_box("trigger", TRIGGERS, TOP, trigger_lines);

        let mut y = TOP;
        let mut previous: Option<(u32, u32)> = None; // bottom centre of the last action
        for rung in &plan.ladder {
            // The title is drawn bold, about a tenth wider: wrap it shorter.
            let mut lines = wrap(&format!("{}. {}", rung.step, rung.title), ACTIONS.2 * 9 / 10);
            lines.extend(wrap(&format!("{} · {}", rung.owner, rung.duration), ACTIONS.2));
            let kind = if rung.step == plan.ladder.len() { "last" } else { "action" };
            let action = make_box(kind, ACTIONS, y, lines);
            let check = make_box("check", CHECKS, y, wrap(&format!("Check: {}", rung.verify), CHECKS.2));
            let mid = y + action.h.min(check.h) / 2;
            arrows.push(Arrow { x1: ACTIONS.0 + ACTIONS.1, y1: mid, x2: CHECKS.0, y2: mid, label: None });
            if let Some((x, bottom)) = previous {
                arrows.push(Arrow { x1: x, y1: bottom, x2: x, y2: y, label: Some("not recovered") });
            }
            previous = Some((ACTIONS.0 + ACTIONS.1 / 2, y + action.h));
            y += action.h.max(check.h) + GAP;
            boxes.push(action);
            boxes.push(check);
        }
        let first_mid = TOP + boxes.first().map_or(0, |b| b.h / 2);
        arrows
            .insert(0, Arrow { x1: TRIGGERS.0 + TRIGGERS.1, y1: first_mid, x2: ACTIONS.0, y2: first_mid, label: None });
        let height = (y - GAP + PAD * 2).max(TOP + trigger.h + PAD * 2);
        boxes.insert(0, trigger);
        Figure { width: WIDTH, height, boxes, arrows }
    }
}

fn make_box(kind: &'static str, (x, w, _): (u32, u32, usize), y: u32, lines: Vec<String>) -> FigureBox {
    let h = PAD * 2 + LINE * lines.len() as u32;
    FigureBox { kind, x, y, w, h, lines }
}

/// Greedy word wrap by character count; a word longer than a line is cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for mut word in text.split_whitespace() {
        let mut wlen = word.chars().count();
        while wlen > width {
            if len > 0 {
                lines.push(std::mem::take(&mut line));
                len = 0;
            }
            let cut = word.char_indices().nth(width).map_or(word.len(), |(i, _)| i);
            lines.push(word[..cut].to_string());
            word = &word[cut..];
            wlen -= width;
        }
        if len > 0 && len + 1 + wlen > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += wlen;
    }
    if len > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_words_and_cuts_only_overlong_ones() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
        for line in wrap(&"word ".repeat(100), 20) {
            assert!(line.chars().count() <= 20);
        }
    }

    #[test]
    fn every_rung_has_a_box_a_check_and_arrows_in_order() {
        let engine = crate::Engine::new().unwrap();
        let spec = crate::parse_spec(include_str!("../../examples/harness-blue-green-destructive.yaml")).unwrap();
        let plan = engine.plan(&spec).unwrap();
        let fig = Figure::ladder(&plan);
        let actions: Vec<&FigureBox> = fig.boxes.iter().filter(|b| b.kind != "check" && b.kind != "trigger").collect();
        assert_eq!(actions.len(), plan.ladder.len());
        assert!(actions.windows(2).all(|w| w[0].y + w[0].h < w[1].y), "actions stack downwards without overlap");
        // One arrow from the triggers, one to each check, one between consecutive actions.
        assert_eq!(fig.arrows.len(), 1 + plan.ladder.len() + plan.ladder.len() - 1);
        assert!(fig.boxes.iter().all(|b| b.x + b.w <= fig.width && b.y + b.h <= fig.height));
    }
}
