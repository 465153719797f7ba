//! Argo CD Applications and ApplicationSets: whether a sync can undo the fallback (automated sync,
//! selfHeal), leave a removed resource running (prune) or a deleted Application's resources behind
//! (the resources finalizer).
//!
//! Field names follow the CRDs in `../shared/schemas/argo-cd` (argo-cd 37ee0097cf85); what Argo CD
//! does with them is cited in `templates/lint/argo-cd.yaml` and `templates/tools/argo-cd.yaml`.

use serde_json::json;

use super::{place, Reading, Subject};
use crate::source::node::Node;

/// The finalizer that makes deleting an Application delete its resources; `/foreground` and
/// `/background` name the deletion's propagation.
const RESOURCES_FINALIZER: &str = "resources-finalizer.argocd.argoproj.io";

/// The annotation that makes a resource of the synced manifests a sync hook, and the one that
/// orders it into a sync wave (ACD-HOOKS).
const HOOK: &str = "argocd.argoproj.io/hook";
const WAVE: &str = "argocd.argoproj.io/sync-wave";

/// Whether a resource carries Argo CD's hook or sync-wave annotation.
pub(super) fn annotated(doc: &Node) -> bool {
    let annotations = doc.get("metadata").and_then(|m| m.get("annotations"));
    annotations.is_some_and(|a| a.get(HOOK).is_some() || a.get(WAVE).is_some())
}

pub(super) fn read(file: &str, documents: &[Node], reading: &mut Reading) {
    let mut waves = Vec::new();
    for doc in documents {
        match doc.get("kind").and_then(Node::text) {
            Some("Application") => application(file, doc, doc, "", reading),
            Some("ApplicationSet") => {
                let template = doc.get("spec").and_then(|s| s.get("template"));
                if let Some(template) = template {
                    application(file, doc, template, "spec.template.", reading);
                }
            }
            _ if annotated(doc) => hook(file, doc, &mut waves, reading),
            _ => {}
        }
    }
    if !waves.is_empty() {
        reading.draft.note(format!("{file}: sync waves, lower first: {}", waves.join(", ")));
    }
    reading.draft.read_from(file);
}

/// A resource of the synced manifests with Argo CD's annotations: a hook that checks the sync
/// (`Sync`, `PostSync`: when it fails the sync is marked failed, and nothing is undone), one that
/// runs when the sync fails (`SyncFail`), or a resource in a sync wave.
fn hook(file: &str, doc: &Node, waves: &mut Vec<String>, reading: &mut Reading) {
    let metadata = doc.get("metadata");
    let annotations = metadata.and_then(|m| m.get("annotations"));
    let kind = doc.get("kind").and_then(Node::text).unwrap_or("resource").to_ascii_lowercase();
    let name = metadata.and_then(|m| m.get("name")).and_then(Node::text).unwrap_or("");
    let resource = format!("{kind}/{name}");
    let draft = &mut reading.draft;
    if let Some(wave) = annotations.and_then(|a| a.get(WAVE)).and_then(Node::text) {
        waves.push(format!("{resource} (wave {wave})"));
    }
    let Some(node) = annotations.and_then(|a| a.get(HOOK)) else { return };
    let from = Some(place(file, format!("metadata.annotations.{HOOK}"), node));
    draft.set("deployment.tool", "argo-cd", from.clone());
    // A resource may be several hooks: `PreSync,PostSync`.
    for phase in node.text().unwrap_or("").split(',').map(str::trim) {
        match phase {
            "Sync" | "PostSync" => {
                let trigger =
                    format!("Argo CD {phase} hook {resource} fails (the sync is marked failed; nothing is undone)");
                draft.push("abort.triggers", trigger, from.clone());
            }
            "SyncFail" => {
                let step = json!({ "action": format!("Argo CD SyncFail hook {resource} (runs when the sync fails)") });
                draft.push("fallback.steps", step, from.clone());
            }
            other => draft.note(format!(
                "Not read: {other} hook {resource} ({file}:{}): what it does is to confirm",
                node.mark.line
            )),
        }
    }
}

/// One Application: `app` is the document itself, or an ApplicationSet's `spec.template` (then
/// `prefix` is `spec.template.` and `doc` the ApplicationSet).
fn application(file: &str, doc: &Node, app: &Node, prefix: &str, reading: &mut Reading) {
    let at = |path: &str, node: &Node| match path {
        "" => place(file, prefix.trim_end_matches('.'), node),
        _ => place(file, format!("{prefix}{path}"), node),
    };
    let kind = doc.get("kind").and_then(Node::text).unwrap_or("Application");
    let generated = kind == "ApplicationSet";
    let metadata = app.get("metadata");
    let name_node = metadata.and_then(|m| m.get("name"));
    let name = name_node.and_then(Node::text).unwrap_or("");
    let spec = app.get("spec");
    let policy = spec.and_then(|s| s.get("syncPolicy"));
    let automated = policy.and_then(|p| p.get("automated"));
    // `automated` turns automated sync on unless its `enabled` is false (ACD-AUTOMATED-SRC); an
    // ApplicationSet's RollingSync strategy turns it off on every Application it generates
    // (ACD-ROLLING-SYNC).
    let rolling_sync = generated
        && doc.get("spec").and_then(|s| s.get("strategy")).and_then(|s| s.get("type")).and_then(Node::text)
            == Some("RollingSync");
    let auto_sync = !rolling_sync && automated.is_some_and(|a| a.get("enabled").and_then(Node::truth) != Some(false));
    let flag = |key: &str| automated.and_then(|a| a.get(key)).and_then(Node::truth) == Some(true);

    let mut subject = Subject::new("argo-cd", "application", at("", app));
    subject.fact("name", name).fact("kind", kind).fact("generated", generated);
    // How messages name it: an Application by its name, a generated one with its ApplicationSet.
    match generated {
        true => {
            let set = doc.get("metadata").and_then(|m| m.get("name")).and_then(Node::text).unwrap_or("");
            let label = format!("Application {name} (generated by ApplicationSet {set})");
            subject.fact("label", label).fact("application_set", set);
            subject.fact("sync_policy_ignored", ignores_sync_policy(doc));
        }
        false => {
            subject.fact("label", format!("Application {name}"));
        }
    }
    match automated.and_then(|_| policy?.key("automated")) {
        Some(key) => subject.fact_at("auto_sync", auto_sync, at("spec.syncPolicy.automated", key)),
        None => subject.fact("auto_sync", false),
    };
    // `Prune=false` among the sync options keeps every resource from being pruned, automated
    // `prune` or not (ACD-PRUNE-OPTION).
    let options = policy.and_then(|p| p.get("syncOptions")).map(Node::items).unwrap_or_default();
    let no_prune = options.iter().find(|o| o.text().is_some_and(|t| t.replace(' ', "") == "Prune=false"));
    for (key, fact) in [("selfHeal", "self_heal"), ("prune", "prune")] {
        match (automated.and_then(|a| a.key(key)), no_prune) {
            (_, Some(option)) if key == "prune" => {
                subject.fact_at(fact, false, at("spec.syncPolicy.syncOptions", option))
            }
            (Some(k), _) => subject.fact_at(fact, flag(key), at(&format!("spec.syncPolicy.automated.{key}"), k)),
            (None, _) => subject.fact(fact, false),
        };
    }
    let finalizers = metadata.and_then(|m| m.get("finalizers")).map(Node::items).unwrap_or_default();
    let finalizer = finalizers.iter().filter_map(Node::text).any(|f| {
        f == RESOURCES_FINALIZER || f.strip_prefix(RESOURCES_FINALIZER).is_some_and(|rest| rest.starts_with('/'))
    });
    subject.fact("finalizer", finalizer);
    // A finding about the finalizer points at `finalizers`, or else at the `metadata` it belongs in.
    match (metadata.and_then(|m| m.key("finalizers")), app.key("metadata")) {
        (Some(key), _) => subject.places.insert("finalizer".into(), at("metadata.finalizers", key)),
        (None, Some(key)) => subject.places.insert("finalizer".into(), at("metadata", key)),
        (None, None) => None,
    };
    reading.subjects.push(subject);

    let draft = &mut reading.draft;
    let kind_node = doc.get("kind").unwrap_or(doc);
    let kind_at = Some(place(file, "kind", kind_node));
    draft.set("deployment.tool", "argo-cd", kind_at.clone());
    draft.set("deployment.platform", "kubernetes", kind_at.clone());
    // The component is named after the Application, or after the ApplicationSet that generates
    // Applications (whose names are templates).
    let named = match generated {
        true => doc
            .get("metadata")
            .and_then(|m| m.get("name"))
            .map(|n| (n, place(file, "metadata.name", n), "ApplicationSet")),
        false => name_node.map(|n| (n, at("metadata.name", n), "Application")),
    };
    let mut component = name.to_string();
    if let Some((node, from, what)) = named {
        if let Some(text) = node.text() {
            component = text.to_string();
            let note = format!("the {what}'s name: to confirm the component's");
            draft.set_noted("component.name", text, Some(from.clone()), note);
            draft.set("deployment.pipeline", text, Some(from));
        }
    }
    let destination = spec.and_then(|s| s.get("destination"));
    if let Some(ns) = destination.and_then(|d| d.get("namespace")) {
        if let Some(text) = ns.text() {
            let from = Some(at("spec.destination.namespace", ns));
            match is_template(text) {
                true => {
                    draft.set_noted("deployment.namespace", text, from, "a template of the ApplicationSet: to confirm")
                }
                false => draft.set("deployment.namespace", text, from),
            }
        }
    }
    match automated.and_then(|_| policy?.key("automated")) {
        Some(key) => {
            draft.set("deployment.tool_settings.auto_sync", auto_sync, Some(at("spec.syncPolicy.automated", key)))
        }
        None => draft.set_noted(
            "deployment.tool_settings.auto_sync",
            false,
            Some(at("", app)),
            "no automated sync policy: a person syncs",
        ),
    }
    if rolling_sync {
        draft.note(format!(
            "{file}: the ApplicationSet's RollingSync strategy syncs its Applications step by step itself \
             (automated sync is off on each): who starts and stops it is to confirm"
        ));
    } else if !auto_sync {
        draft.set_noted("rollout.approval", "manual", Some(at("", app)), "automated sync off: a person syncs");
    }
    if generated {
        draft.set_noted(
            "deployment.chained_pipelines",
            true,
            Some(place(file, "spec.template", kind_node)),
            "an ApplicationSet generates one Application for each of its generator's elements",
        );
    }
    draft.ask(
        "rollout.strategy",
        "canary",
        "the synced workload's strategy: Argo CD only syncs; an Argo Rollouts Rollout runs a canary or blue-green, a \
         Deployment a rolling update",
    );
    draft.ask(
        "deployment.workload",
        "rollout/…",
        "the workload the Application syncs, e.g. rollout/NAME or deployment/NAME",
    );
    for source in sources(spec) {
        let repo = source.get("repoURL").and_then(Node::text).unwrap_or("?");
        let what = source.get("chart").or_else(|| source.get("path")).and_then(Node::text).unwrap_or(".");
        let revision = source.get("targetRevision").and_then(Node::text).unwrap_or("HEAD");
        draft.note(format!(
            "Not read: the manifests the Application syncs ({repo} {what} at {revision}, {file}:{}): give planb \
             the Rollout among them to read its strategy",
            source.mark.line
        ));
    }
    super::ask_the_unknowable(reading, &component);
}

/// The Application's sources: `spec.source`, or each of `spec.sources`.
fn sources(spec: Option<&Node>) -> Vec<&Node> {
    let Some(spec) = spec else { return Vec::new() };
    match (spec.get("source"), spec.get("sources")) {
        (Some(one), _) => vec![one],
        (None, Some(many)) => many.items().iter().collect(),
        (None, None) => Vec::new(),
    }
}

/// Whether an ApplicationSet lets its Applications' automated sync differ from the template, so
/// that it can be turned off on one of them: `ignoreApplicationDifferences` naming
/// `spec.syncPolicy.automated` or a field above it (ACD-APPSET-IGNORE), or a policy that does not
/// update Applications, `create-only` or `create-delete` (ACD-APPSET-POLICY-SRC).
fn ignores_sync_policy(set: &Node) -> bool {
    let spec = set.get("spec");
    let policy = spec.and_then(|s| s.get("syncPolicy")).and_then(|p| p.get("applicationsSync")).and_then(Node::text);
    if matches!(policy, Some("create-only" | "create-delete")) {
        return true;
    }
    const POINTERS: &[&str] = &["/spec", "/spec/syncPolicy", "/spec/syncPolicy/automated"];
    const JQ: &[&str] = &[".spec", ".spec.syncPolicy", ".spec.syncPolicy.automated"];
    let ignored = spec.and_then(|s| s.get("ignoreApplicationDifferences")).map(Node::items);
    let any_of = |rule: &Node, key: &str, wanted: &[&str]| {
        let items = rule.get(key).map(Node::items).unwrap_or_default();
        items.iter().filter_map(Node::text).any(|t| wanted.contains(&t.trim().trim_end_matches('/')))
    };
    ignored
        .unwrap_or_default()
        .iter()
        .any(|rule| any_of(rule, "jsonPointers", POINTERS) || any_of(rule, "jqPathExpressions", JQ))
}

/// Whether a value is an ApplicationSet template (`{{name}}`, `{{ .path.basename }}`).
fn is_template(text: &str) -> bool {
    text.contains("{{")
}
