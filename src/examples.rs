//! The example specs, embedded so the page can offer them as presets.

/// `(file name, text)` of every spec under `examples/`.
pub const ALL: &[(&str, &str)] = &[
    ("harness-canary-first-deploy.yaml", include_str!("../examples/harness-canary-first-deploy.yaml")),
    ("harness-blue-green-destructive.yaml", include_str!("../examples/harness-blue-green-destructive.yaml")),
    ("harness-rolling-no-kill-switch.yaml", include_str!("../examples/harness-rolling-no-kill-switch.yaml")),
    ("argo-rollouts-canary.yaml", include_str!("../examples/argo-rollouts-canary.yaml")),
    ("github-actions-lambda.json", include_str!("../examples/github-actions-lambda.json")),
    ("minimal.yaml", include_str!("../examples/minimal.yaml")),
];
