//! The example specs, embedded so the page can offer them as presets.

/// `(file name, text)` of every spec under `examples/`.
pub const ALL: &[(&str, &str)] = &[
    ("harness-canary-first-deploy.yaml", include_str!("../examples/harness-canary-first-deploy.yaml")),
    ("harness-blue-green-destructive.yaml", include_str!("../examples/harness-blue-green-destructive.yaml")),
    ("harness-rolling-no-kill-switch.yaml", include_str!("../examples/harness-rolling-no-kill-switch.yaml")),
    ("argo-rollouts-canary.yaml", include_str!("../examples/argo-rollouts-canary.yaml")),
    ("github-actions-lambda.json", include_str!("../examples/github-actions-lambda.json")),
    ("argo-cd-first-deploy.yaml", include_str!("../examples/argo-cd-first-deploy.yaml")),
    ("flagger-canary-first-deploy.yaml", include_str!("../examples/flagger-canary-first-deploy.yaml")),
    ("spinnaker-canary-first-deploy.yaml", include_str!("../examples/spinnaker-canary-first-deploy.yaml")),
    ("gitlab-first-deploy.yaml", include_str!("../examples/gitlab-first-deploy.yaml")),
    ("jenkins-first-deploy.yaml", include_str!("../examples/jenkins-first-deploy.yaml")),
    ("octopus-first-deploy.yaml", include_str!("../examples/octopus-first-deploy.yaml")),
    ("codedeploy-ecs-first-deploy.yaml", include_str!("../examples/codedeploy-ecs-first-deploy.yaml")),
    ("harness-update.yaml", include_str!("../examples/harness-update.yaml")),
    ("argo-cd-update.yaml", include_str!("../examples/argo-cd-update.yaml")),
    ("spinnaker-update.yaml", include_str!("../examples/spinnaker-update.yaml")),
    ("gitlab-update.yaml", include_str!("../examples/gitlab-update.yaml")),
    ("codedeploy-update.yaml", include_str!("../examples/codedeploy-update.yaml")),
    ("minimal.yaml", include_str!("../examples/minimal.yaml")),
];
