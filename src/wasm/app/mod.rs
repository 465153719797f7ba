//! The page: a form for the spec, a live preview in every output, the findings, and sharing.
//!
//! The DOM is wired here in Rust; the only JavaScript is wasm-bindgen's loader and the few lines
//! of `www/main.js` that call [`start`].

mod dom;
mod form;
mod importer;
mod long;
mod output;
mod prerender;
mod preview;
mod state;

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use self::dom::{by_id, on, target_element};
use self::importer::Shown;
use self::state::parse_path;
use super::api::engine;
use crate::form::Section;
use crate::render::OUTPUTS;
use crate::Spec;

/// The editor's state.
struct App {
    sections: Vec<Section>,
    /// The spec as JSON, exactly as entered (it may be invalid).
    state: Value,
    /// The last spec that parsed, so the preview stays while the user fixes a mistake.
    spec: Option<Spec>,
    /// The index into [`OUTPUTS`] of the visible tab.
    tab: usize,
    /// The state (and import) before the last load of an example or a file, for Undo.
    undo: Option<(Value, Option<Rc<Shown>>)>,
    /// The pipeline files the spec was last imported from: each field's source and the findings.
    imported: Option<Rc<Shown>>,
    /// Whether the long-link warning is showing, so it is announced once per crossing.
    long_link: bool,
    /// Whether a field is marked invalid, so that clearing marks costs nothing when none is.
    field_error: bool,
    /// Whether the spec as entered parses (else `spec` is an older one).
    valid: bool,
    /// The pending save and permalink refresh while the user types.
    persist_timer: Option<i32>,
    /// Whether the last save failed, so the warning is shown once per failure, not per keystroke.
    unsaved: bool,
}

/// Starts the page: the editor, or the plan alone on the embed page. `importer` is a function that
/// loads the pipeline importer's module and resolves to it (`www/main.js`); without it the page
/// imports specs only.
///
/// The work is split into tasks (the engine, a first plan to warm it, the plan shown, the form,
/// saving), each short enough that the page never stops answering while it starts.
#[wasm_bindgen]
pub async fn start(
    #[wasm_bindgen(unchecked_optional_param_type = "() => Promise<object>")] importer: JsValue,
) -> Result<(), JsValue> {
    mark("planb:start");
    importer::set_loader(importer);
    let body = dom::document().body().ok_or("no body")?;
    if body.get_attribute("data-mode").as_deref() == Some("embed") {
        return output::start_embed();
    }
    let sections = crate::form::sections().map_err(|e| crate::wasm::to_js(&e))?;
    let engine = engine()?;
    mark("planb:engine-ready");
    dom::next_task().await;
    let (state, notice) = initial_state().await;
    dom::next_task().await;
    // Planning once loads the tool's knowledge and compiles the messages, so that showing the
    // plan in the next task costs only the plan itself.
    if let Ok(spec) = crate::parse_spec_json(&state) {
        let _ = engine.plan(&spec);
    }
    dom::next_task().await;
    let app = Rc::new(RefCell::new(App {
        sections,
        state,
        spec: None,
        tab: 0,
        undo: None,
        imported: None,
        long_link: false,
        field_error: false,
        valid: false,
        persist_timer: None,
        unsaved: false,
    }));
    // The plan first, so it is on screen sooner; then the form, which takes longer to build.
    output::build_tabs();
    refresh(&mut app.borrow_mut());
    prerender::clear_leftovers();
    mark("planb:plan-visible");
    dom::next_task().await;
    rebuild_form(&app.borrow());
    output::fill_presets();
    wire(&app);
    mark("planb:form-built");
    if !app.borrow().valid {
        // The saved spec does not parse: show its error again now that the field to mark exists.
        refresh(&mut app.borrow_mut());
    }
    dom::next_task().await;
    let _ = persist_in_tasks(&app).await;
    mark("planb:saved");
    if let Some(notice) = notice {
        output::status(&notice, true);
    }
    let _ = body.set_attribute("data-ready", "true");
    Ok(())
}

/// A performance mark, for the benchmark (`bench/page.mjs`) and the browser's own profiler.
pub(crate) fn mark(name: &str) {
    if let Some(perf) = dom::window().performance() {
        let _ = perf.mark(name);
    }
}

/// The spec to start from: a permalink from elsewhere, else the saved spec, else the first example.
///
/// A link this page wrote itself lags the saved spec by a few hundred milliseconds of typing (and
/// is not updated at all while the spec is invalid), so the saved spec wins over it.
///
/// Reading the address, decoding the link, reading the spec and saving it each get their own task:
/// for a link of 1 MB of spec they took 105 ms in one (the link alone 30 ms, saving 18 ms).
async fn initial_state() -> (Value, Option<String>) {
    let hash = dom::window().location().hash().unwrap_or_default();
    let saved = state::load_saved();
    let fallback = || saved.clone().unwrap_or_else(first_example);
    let own = state::load_link().is_some_and(|link| hash.trim_start_matches('#') == link);
    if (own && saved.is_some()) || hash.len() <= 1 {
        return (fallback(), None);
    }
    dom::next_task().await;
    let spec = match crate::permalink::decode_json(&hash) {
        Ok(json) => {
            dom::next_task().await;
            parse_in_tasks(&json).await.map_err(crate::permalink::invalid_spec)
        }
        Err(e) => Err(e),
    };
    match spec {
        Ok(spec) => {
            dom::next_task().await;
            let value = compact_value(&spec);
            state::save(&value);
            (value, None)
        }
        Err(e) => {
            let kept =
                if saved.is_some() { "your last saved spec is shown instead" } else { "an example is shown instead" };
            (fallback(), Some(format!("{}; {kept}.", e.message)))
        }
    }
}

/// Parser events read per task: a few milliseconds of work.
const EVENTS_PER_TASK: usize = 20_000;

/// Reads a spec across tasks, so that a large file or link never freezes the page while it is read.
async fn parse_in_tasks(text: &str) -> Result<Spec, crate::Error> {
    let mut reader = crate::SpecReader::new(text);
    loop {
        if let Some(result) = reader.step(EVENTS_PER_TASK) {
            return result;
        }
        dom::next_task().await;
    }
}

fn compact_value(spec: &Spec) -> Value {
    crate::permalink::compact_value(spec)
}

fn first_example() -> Value {
    crate::examples::ALL
        .first()
        .and_then(|(_, text)| crate::parse_spec(text).ok())
        .map_or(Value::Null, |spec| compact_value(&spec))
}

fn rebuild_form(app: &App) {
    if let Some(form) = by_id("spec-form") {
        form::build(&form, &app.sections, &app.state, app.imported.as_deref());
    }
}

/// Re-reads the spec from the state, refreshes everything that depends on it, and saves it.
///
/// `typing` marks a keystroke: its time is measured (`planb:render`), and saving and the permalink
/// follow once typing pauses (or the page is left) rather than on every key.
fn update(shared: &Rc<RefCell<App>>, typing: bool) {
    let perf = if typing { dom::window().performance() } else { None };
    if let Some(p) = &perf {
        let _ = p.mark("planb:render-start");
    }
    let mut app = shared.borrow_mut();
    refresh(&mut app);
    if typing {
        schedule_persist(shared, &mut app);
    } else {
        persist(&mut app);
    }
    drop(app);
    if let Some(p) = &perf {
        let _ = p.measure_with_start_mark("planb:render", "planb:render-start");
    }
}

/// Parses the spec as entered and shows its plan, or its error.
fn refresh(app: &mut App) {
    if app.field_error {
        output::clear_field_errors();
        app.field_error = false;
    }
    match crate::parse_spec_json(&app.state) {
        Ok(spec) => {
            output::show_error(None);
            app.spec = Some(spec);
            app.valid = true;
            output::render(app);
        }
        Err(e) => {
            app.valid = false;
            app.field_error = output::show_error(Some(&e));
        }
    }
}

/// Saves the spec (valid or not, so nothing typed is lost) and refreshes the permalink.
fn persist(app: &mut App) {
    save(app);
    if app.valid {
        refresh_link(app);
    }
}

/// Saves the spec, and warns once when the browser refuses it.
fn save(app: &mut App) {
    if let Some(timer) = app.persist_timer.take() {
        dom::window().clear_timeout_with_handle(timer);
    }
    let saved = state::save(&app.state);
    if !saved && !app.unsaved {
        output::status(
            "This browser did not save the spec (its storage is full or blocked): it lives only in this tab until you export it.",
            true,
        );
    }
    app.unsaved = !saved;
}

/// Saving and the permalink in two tasks: each costs tens of milliseconds for a large spec.
/// Returns whether the spec is too large for a link.
async fn persist_in_tasks(shared: &Rc<RefCell<App>>) -> bool {
    save(&mut shared.borrow_mut());
    dom::next_task().await;
    let link = {
        let app = shared.borrow();
        if !app.valid {
            return false;
        }
        make_link(&app)
    };
    // The link is made in one task and shown in the next: for a 1 MB spec each costs tens of ms.
    dom::next_task().await;
    show_link(&mut shared.borrow_mut(), link)
}

/// Persists 300 ms after the last keystroke; leaving or hiding the page persists at once (see `wire`).
fn schedule_persist(shared: &Rc<RefCell<App>>, app: &mut App) {
    let window = dom::window();
    if let Some(timer) = app.persist_timer.take() {
        window.clear_timeout_with_handle(timer);
    }
    let weak = Rc::downgrade(shared);
    let callback = Closure::once_into_js(move || {
        if let Some(shared) = weak.upgrade() {
            shared.borrow_mut().persist_timer = None;
            // In tasks: saving and the link of a 1 MB spec took 180 ms in one.
            wasm_bindgen_futures::spawn_local(async move {
                persist_in_tasks(&shared).await;
            });
        }
    });
    app.persist_timer =
        window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 300).ok();
}

/// Keeps the address bar's permalink current, and warns once when it grows too long; whether the
/// spec is too large for a link at all.
fn refresh_link(app: &mut App) -> bool {
    let link = make_link(app);
    show_link(app, link)
}

/// The permalink of the current spec: `None` without a spec, `Some(None)` when it is too large.
fn make_link(app: &App) -> Option<Option<String>> {
    let json = crate::permalink::compact_json(app.spec.as_ref()?);
    Some((json.len() <= crate::permalink::MAX_DECODED).then(|| crate::permalink::encode_json(&json)))
}

/// Puts a link made by [`make_link`] in the address bar; whether the spec is too large for one.
fn show_link(app: &mut App, link: Option<Option<String>>) -> bool {
    let Some(link) = link else { return false };
    let Some(link) = link else {
        if !app.long_link {
            output::status("This spec is larger than a link can hold (1 MiB): export it as a file to share it.", false);
        }
        app.long_link = true;
        return true;
    };
    if let Ok(history) = dom::window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{link}")));
    }
    state::save_link(&link);
    let long = link.len() > crate::permalink::LONG_LINK;
    if long && !app.long_link {
        output::status(
            &format!(
                "The link is {} characters long; chat tools and wikis may cut it. Export the spec as a file to share it safely.",
                link.len()
            ),
            false,
        );
    }
    app.long_link = long;
    false
}

/// Replaces the whole spec (an example, a spec file, or what pipeline files imply, `imported`),
/// keeping the old one for Undo.
///
/// The form, the plan and saving each run in their own task, so a large spec never freezes the page.
fn replace_state(shared: &Rc<RefCell<App>>, value: Value, imported: Option<Rc<Shown>>, message: &str) {
    {
        let mut app = shared.borrow_mut();
        let state = std::mem::replace(&mut app.state, value);
        let before = std::mem::replace(&mut app.imported, imported);
        app.undo = Some((state, before));
        importer::show_panel(app.imported.as_deref());
        rebuild_form(&app);
    }
    mark("planb:form-built");
    let shared = shared.clone();
    let message = message.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        dom::next_task().await;
        refresh(&mut shared.borrow_mut());
        mark("planb:plan-shown");
        dom::next_task().await;
        let too_big_for_a_link = persist_in_tasks(&shared).await;
        mark("planb:saved");
        let app = shared.borrow();
        // Problems with the new spec go into the same message, so the Undo button stays beside them.
        let mut text = message;
        if too_big_for_a_link {
            text.push_str(" It is larger than a link can hold (1 MiB): export it as a file to share it.");
        }
        if app.unsaved {
            text.push_str(" This browser did not save it (its storage is full or blocked): export it to keep it.");
        }
        output::status_with_undo(&text, too_big_for_a_link || app.unsaved);
    });
}

fn wire(app: &Rc<RefCell<App>>) {
    let Some(form) = by_id("spec-form") else { return };
    let a = app.clone();
    on(&form, "input", move |event| {
        let Some(input) = target_element(&event) else { return };
        let Some(path) = input.get_attribute("data-path") else { return };
        state::set(&mut a.borrow_mut().state, &parse_path(&path), form::input_value(&input));
        update(&a, true);
    });
    let a = app.clone();
    on(&form, "submit", |event| event.prevent_default());
    on(&form, "click", move |event| {
        let Some(button) = target_element(&event) else { return };
        if button.get_attribute("data-action").as_deref() == Some("edit-long") {
            if let Some(path) = button.get_attribute("data-path") {
                form::edit_long(&a.borrow().state, &path);
            }
            return;
        }
        let (Some(action), Some(list)) = (button.get_attribute("data-action"), button.get_attribute("data-list"))
        else {
            return;
        };
        let mut app = a.borrow_mut();
        let list_path = parse_path(&list);
        let len = state::get(&app.state, &list_path).and_then(Value::as_array).map_or(0, Vec::len);
        let focus_path = match action.as_str() {
            "add" => {
                let mut item = list_path.clone();
                item.push(state::Seg::Index(len));
                state::set(&mut app.state, &item, Some(Value::Object(Default::default())));
                Some(format!("{list}.{len}."))
            }
            "remove" => {
                let index = button.get_attribute("data-index").and_then(|i| i.parse().ok()).unwrap_or(usize::MAX);
                let mut item = list_path.clone();
                item.push(state::Seg::Index(index));
                state::set(&mut app.state, &item, None);
                None
            }
            _ => return,
        };
        rebuild_form(&app);
        drop(app);
        update(&a, false);
        match focus_path {
            Some(prefix) => output::focus_path(&prefix),
            None => output::focus_list(&list),
        }
    });

    let a = app.clone();
    on_id("tabs", "click", move |event| {
        let Some(tab) = target_element(&event).and_then(|t| t.closest("[role=tab]").ok().flatten()) else { return };
        let Some(index) = tab.get_attribute("data-index").and_then(|i| i.parse::<usize>().ok()) else { return };
        let mut app = a.borrow_mut();
        app.tab = index.min(OUTPUTS.len() - 1);
        output::select_tab(app.tab);
        output::render(&app);
    });
    on_id("tabs", "keydown", output::tab_keys);
    // The skip link moves focus without touching the address, which holds the permalink.
    if let Ok(Some(skip)) = dom::document().query_selector(".skip") {
        on(&skip, "click", |event| {
            event.prevent_default();
            if let Some(output) = by_id("output") {
                dom::focus(&output);
            }
        });
    }
    // Another link opened in this tab (pasted into the address bar, or followed): load its spec.
    let a = app.clone();
    on(&dom::window(), "hashchange", move |_| {
        let hash = dom::window().location().hash().unwrap_or_default();
        if hash.len() <= 1 || state::load_link().is_some_and(|own| hash.trim_start_matches('#') == own) {
            return;
        }
        match crate::permalink::decode(&hash) {
            Ok(spec) => replace_state(&a, compact_value(&spec), None, "Opened the spec in the link."),
            Err(e) => output::status(&format!("{}; the spec you had is kept.", e.message), true),
        }
    });
    on_id("preview", "click", output::copy_field);
    // Typing is saved after a pause; a reload, a closed tab or a hidden page must not lose the pause.
    // Only the spec is saved then: the address a reload goes to is already fixed, and a saved link
    // that differed from it would make the reloaded page take its own old link for someone else's.
    for (target, event) in [(dom::window().into(), "pagehide"), (dom::document().into(), "visibilitychange")] {
        let target: web_sys::EventTarget = target;
        let a = app.clone();
        on(&target, event, move |_| {
            if let Ok(app) = a.try_borrow() {
                if app.persist_timer.is_some() {
                    state::save(&app.state);
                }
            }
        });
    }

    let a = app.clone();
    on_id("copy", "click", move |_| output::copy_current(&a.borrow()));
    let a = app.clone();
    on_id("download", "click", move |_| output::download_current(&a.borrow()));
    on_id("findings-list", "click", |event| {
        let target = target_element(&event).and_then(|t| t.closest("[data-path]").ok().flatten());
        if let Some(path) = target.and_then(|t| t.get_attribute("data-path")) {
            output::focus_path(&path);
        }
    });

    let a = app.clone();
    on_id("presets", "change", move |event| {
        let Some(select) = target_element(&event).and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) else {
            return;
        };
        let name = select.value();
        select.set_value("");
        let Some((_, text)) = crate::examples::ALL.iter().find(|(n, _)| *n == name) else { return };
        if let Ok(spec) = crate::parse_spec(text) {
            replace_state(&a, compact_value(&spec), None, &format!("Loaded the example {name}."));
        }
    });
    let a = app.clone();
    on_id("undo", "click", move |_| {
        let previous = a.borrow_mut().undo.take();
        if let Some((state, imported)) = previous {
            let mut app = a.borrow_mut();
            app.state = state;
            app.imported = imported;
            importer::show_panel(app.imported.as_deref());
            rebuild_form(&app);
            drop(app);
            update(&a, false);
            output::status("Restored the spec you had before.", false);
        }
    });
    on_id("import", "click", |_| {
        if let Some(input) = by_id("import-file").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
            input.click();
        }
    });
    let a = app.clone();
    on_id("import-file", "change", move |event| {
        let Some(input) = target_element(&event).and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        let Some(files) = input.files() else { return };
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        input.set_value("");
        take_files(&a, files);
    });
    // A file dropped anywhere on the page is imported; the page shows where it may go meanwhile.
    let body = dom::document().body();
    for event in ["dragenter", "dragover"] {
        let body = body.clone();
        on(&dom::document(), event, move |event| {
            if carries_files(&event) {
                event.prevent_default();
                if let Some(body) = &body {
                    let _ = body.class_list().add_1("dropping");
                }
            }
        });
    }
    for event in ["dragleave", "drop"] {
        let body = body.clone();
        on(&dom::document(), event, move |event| {
            let left_the_page = event
                .dyn_ref::<web_sys::DragEvent>()
                .is_some_and(|e| event.type_() == "drop" || e.related_target().is_none());
            if let (Some(body), true) = (&body, left_the_page) {
                let _ = body.class_list().remove_1("dropping");
            }
        });
    }
    let a = app.clone();
    on(&dom::document(), "drop", move |event| {
        // Text dragged into a field is the field's own business; only files are taken.
        let files = event.dyn_ref::<web_sys::DragEvent>().and_then(|e| e.data_transfer()).and_then(|d| d.files());
        let Some(files) = files.filter(|f| f.length() > 0) else { return };
        event.prevent_default();
        take_files(&a, (0..files.length()).filter_map(|i| files.get(i)).collect());
    });
    // Text pasted outside a field is read as a file: a pipeline file copied from a repository.
    let a = app.clone();
    on(&dom::document(), "paste", move |event| {
        if target_element(&event)
            .is_some_and(|t| t.closest("input, textarea, select, [contenteditable]").ok().flatten().is_some())
        {
            return;
        }
        let text = event
            .dyn_ref::<web_sys::ClipboardEvent>()
            .and_then(|e| e.clipboard_data())
            .and_then(|d| d.get_data("text/plain").ok());
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else { return };
        event.prevent_default();
        let a = a.clone();
        wasm_bindgen_futures::spawn_local(
            async move { importer::take(&a, vec![("pasted text".to_string(), text)]).await },
        );
    });
    on_id("imported", "click", |event| {
        let target = target_element(&event).and_then(|t| t.closest("[data-path]").ok().flatten());
        if let Some(path) = target.and_then(|t| t.get_attribute("data-path")) {
            output::focus_path(&path);
        }
    });
    let a = app.clone();
    on_id("export-yaml", "click", move |_| output::export(&a.borrow(), true));
    let a = app.clone();
    on_id("export-json", "click", move |_| output::export(&a.borrow(), false));
    let a = app.clone();
    on_id("copy-link", "click", move |_| output::copy_link(&a.borrow(), output::Share::Link));
    let a = app.clone();
    on_id("copy-embed", "click", move |_| output::copy_link(&a.borrow(), output::Share::Iframe));
    let a = app.clone();
    on_id("copy-confluence", "click", move |_| output::copy_link(&a.borrow(), output::Share::Confluence));
}

/// Whether a drag carries files (not text or a link dragged within the page).
fn carries_files(event: &web_sys::Event) -> bool {
    let transfer = event.dyn_ref::<web_sys::DragEvent>().and_then(|e| e.data_transfer());
    transfer.is_some_and(|t| t.types().iter().any(|kind| kind.as_string().as_deref() == Some("Files")))
}

/// Reads files given to the page and takes them: a spec, or pipeline files read together.
fn take_files(app: &Rc<RefCell<App>>, files: Vec<web_sys::File>) {
    if files.is_empty() {
        return;
    }
    let app = app.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let mut read = Vec::with_capacity(files.len());
        for file in files {
            let name = file.name();
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => read.push((name, text.as_string().unwrap_or_default())),
                Err(_) => return output::status(&format!("Could not read {name}; nothing was changed."), true),
            }
        }
        importer::take(&app, read).await;
    });
}

fn on_id<F: FnMut(web_sys::Event) + 'static>(id: &str, event: &str, f: F) {
    if let Some(e) = by_id(id) {
        on(&e, event, f);
    }
}

/// The element for a form path, if the form has one.
fn field_for(path: &str) -> Option<Element> {
    by_id(&format!("f-{path}"))
}
