//! The fallback ladder as a picture: abort triggers → actions, least drastic first → checks.
//!
//! Layout is computed here, deterministically (text is wrapped by character count), and drawn
//! here too: the picture is geometry and colour, with no wording to translate, and writing it
//! directly is ten times faster than through a template (it was two thirds of a standalone page).

use std::fmt;

use super::escape::Syntax;
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
#[derive(Debug, Clone)]
pub struct Figure {
    pub width: u32,
    pub height: u32,
    pub boxes: Vec<FigureBox>,
    pub arrows: Vec<Arrow>,
}

#[derive(Debug, Clone)]
pub struct FigureBox {
    pub kind: BoxKind,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    /// The first line of a trigger or action box is drawn bold.
    pub lines: Vec<String>,
}

/// What a box shows, which sets its colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxKind {
    /// The abort criteria.
    Trigger,
    /// A fallback action.
    Action,
    /// The last action (fixing forward).
    Last,
    /// How to tell an action worked.
    Check,
}

impl BoxKind {
    /// Fill and stroke; the text on every fill is `INK`.
    fn colours(self) -> (&'static str, &'static str) {
        match self {
            BoxKind::Trigger => ("#fdecea", "#b42318"),
            BoxKind::Check => ("#e8f6ee", "#1f6f43"),
            BoxKind::Last => ("#f0f2f5", "#4d5560"),
            BoxKind::Action => ("#e8f0fb", "#0b5cad"),
        }
    }
}

#[derive(Debug, Clone)]
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
        let trigger = make_box(BoxKind::Trigger, TRIGGERS, TOP, trigger_lines);

        let mut y = TOP;
        let mut previous: Option<(u32, u32)> = None; // bottom centre of the last action
        for rung in &plan.ladder {
            // The title is drawn bold, about a tenth wider: wrap it shorter.
            let mut lines = wrap(&format!("{}. {}", rung.step, rung.title), ACTIONS.2 * 9 / 10);
            lines.extend(wrap(&format!("{} · {}", rung.owner, rung.duration), ACTIONS.2));
            let kind = if rung.step == plan.ladder.len() { BoxKind::Last } else { BoxKind::Action };
            let action = make_box(kind, ACTIONS, y, lines);
            let check = make_box(BoxKind::Check, CHECKS, y, wrap(&format!("Check: {}", rung.verify), CHECKS.2));
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

    /// Draws the figure as an SVG document titled `Fallback ladder: {name}`. No `<style>` element:
    /// presentation attributes only, so the picture obeys a page's Content-Security-Policy when inlined.
    pub fn write_svg(&self, name: &str, out: &mut String) {
        // Writing to a `String` cannot fail.
        let _ = self.draw(name, out);
    }

    fn draw(&self, name: &str, out: &mut String) -> fmt::Result {
        let text = |out: &mut String, s: &str| Syntax::Xml.write(out, s);
        let (w, h) = (self.width, self.height);
        out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        attrs(out, &[("width", w), ("height", h)]);
        out.push_str(" viewBox=\"0 0 ");
        push_num(out, w);
        out.push(' ');
        push_num(out, h);
        out.push_str(
            "\" role=\"img\" aria-labelledby=\"planb-ladder-title\" font-family=\"system-ui, -apple-system, 'Segoe UI', \
             Roboto, Arial, sans-serif\" font-size=\"12\">\n<title id=\"planb-ladder-title\">Fallback ladder: ",
        );
        text(out, name)?;
        out.push_str(
            "</title>\n<defs><marker id=\"planb-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" \
             markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"",
        );
        out.push_str(GREY);
        out.push_str("\"/></marker></defs>\n<rect x=\"0\" y=\"0\"");
        attrs(out, &[("width", w), ("height", h)]);
        out.push_str(" fill=\"#ffffff\"/>\n<text x=\"16\" y=\"26\" font-size=\"15\" font-weight=\"700\" fill=\"");
        out.push_str(INK);
        out.push_str("\">Fallback ladder: ");
        text(out, name)?;
        out.push_str("</text>\n");
        for a in &self.arrows {
            out.push_str("<line");
            attrs(out, &[("x1", a.x1), ("y1", a.y1), ("x2", a.x2), ("y2", a.y2)]);
            out.push_str(" stroke=\"");
            out.push_str(GREY);
            out.push_str("\" stroke-width=\"1.5\" marker-end=\"url(#planb-arrow)\"/>\n");
            if let Some(label) = a.label {
                out.push_str("<text");
                attrs(out, &[("x", a.x1 + 6), ("y", (a.y1 + a.y2) / 2 + 4)]);
                out.push_str(" fill=\"");
                out.push_str(GREY);
                out.push_str("\" font-size=\"11\">");
                text(out, label)?;
                out.push_str("</text>\n");
            }
        }
        for b in &self.boxes {
            let (fill, stroke) = b.kind.colours();
            out.push_str("<g>\n<rect");
            attrs(out, &[("x", b.x), ("y", b.y), ("width", b.w), ("height", b.h)]);
            out.push_str(" rx=\"6\" fill=\"");
            out.push_str(fill);
            out.push_str("\" stroke=\"");
            out.push_str(stroke);
            out.push_str("\"/>\n");
            for (i, line) in b.lines.iter().enumerate() {
                out.push_str("<text");
                attrs(out, &[("x", b.x + 8), ("y", b.y + 20 + i as u32 * LINE)]);
                out.push_str(" fill=\"");
                out.push_str(INK);
                out.push('"');
                if i == 0 && b.kind != BoxKind::Check {
                    out.push_str(" font-weight=\"700\"");
                }
                out.push('>');
                text(out, line)?;
                out.push_str("</text>\n");
            }
            out.push_str("</g>\n");
        }
        out.push_str("</svg>\n");
        Ok(())
    }
}

/// Appends ` name="value"` for each number. Written by hand, as is the rest of the picture: through
/// `write!` each element cost about a thousand instructions, half of what drawing the picture cost.
fn attrs(out: &mut String, attrs: &[(&str, u32)]) {
    for (name, value) in attrs {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        push_num(out, *value);
        out.push('"');
    }
}

fn push_num(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[start..].iter().for_each(|&d| out.push(char::from(d)));
}

/// Text colour, and the grey of arrows and their labels.
const INK: &str = "#1b1f24";
const GREY: &str = "#4d5560";

fn make_box(kind: BoxKind, (x, w, _): (u32, u32, usize), y: u32, lines: Vec<String>) -> FigureBox {
    let h = PAD * 2 + LINE * lines.len() as u32;
    FigureBox { kind, x, y, w, h, lines }
}

/// Greedy word wrap by character count; a word longer than a line is cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    // Room for a line of ASCII and a bullet, so a line is not grown byte by byte.
    let fresh = || String::with_capacity(width + 4);
    let mut line = fresh();
    let mut len = 0;
    for mut word in text.split_whitespace() {
        let mut wlen = word.chars().count();
        while wlen > width {
            if len > 0 {
                lines.push(std::mem::replace(&mut line, fresh()));
                len = 0;
            }
            let cut = word.char_indices().nth(width).map_or(word.len(), |(i, _)| i);
            lines.push(word[..cut].to_string());
            word = &word[cut..];
            wlen -= width;
        }
        if len > 0 && len + 1 + wlen > width {
            lines.push(std::mem::replace(&mut line, fresh()));
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
    fn numbers_are_written_as_display_writes_them() {
        for n in [0, 7, 10, 99, 100, 4_096, u32::MAX] {
            let mut out = String::new();
            push_num(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

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
        let actions: Vec<&FigureBox> =
            fig.boxes.iter().filter(|b| matches!(b.kind, BoxKind::Action | BoxKind::Last)).collect();
        assert_eq!(actions.len(), plan.ladder.len());
        assert!(actions.windows(2).all(|w| w[0].y + w[0].h < w[1].y), "actions stack downwards without overlap");
        // One arrow from the triggers, one to each check, one between consecutive actions.
        assert_eq!(fig.arrows.len(), 1 + plan.ladder.len() + plan.ladder.len() - 1);
        assert!(fig.boxes.iter().all(|b| b.x + b.w <= fig.width && b.y + b.h <= fig.height));
    }
}
