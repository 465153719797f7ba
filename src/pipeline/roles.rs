//! What a CI job is for (deploy, verify, fall back), told from its id, name and commands by the
//! words of `templates/lint/job-roles.yaml`: GitHub Actions and GitLab CI jobs carry no type.

use std::sync::OnceLock;

use serde::Deserialize;

/// A job's role in a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Deploy,
    Verify,
    Fallback,
    Other,
}

impl Role {
    pub(super) fn key(self) -> &'static str {
        match self {
            Role::Deploy => "deploy",
            Role::Verify => "verify",
            Role::Fallback => "fallback",
            Role::Other => "other",
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Words {
    /// Two-word spellings and the word each is read as.
    phrases: std::collections::BTreeMap<String, String>,
    fallback: Vec<String>,
    verify: Vec<String>,
    deploy: Vec<String>,
    deploy_commands: Vec<String>,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    // The file is planb's own and tested (tests/pipelines.rs); were it broken, no job would have a role.
    WORDS.get_or_init(|| {
        crate::source::parse_as(include_str!("../../templates/lint/job-roles.yaml")).unwrap_or_default()
    })
}

/// The role of a job from its id, its name and its commands: the first role one of whose words is a
/// word of the id or name, or else deploy when a command deploys.
pub(super) fn role_of(id: &str, name: Option<&str>, commands: &[&str]) -> Role {
    let w = words();
    let mut text = format!("{id} {}", name.unwrap_or("")).to_lowercase();
    for (phrase, word) in &w.phrases {
        text = text.replace(phrase.as_str(), word);
    }
    let said: Vec<&str> = text.split(['-', '_', '.', ':', '/', ' ']).collect();
    let has = |list: &[String]| list.iter().any(|word| said.contains(&word.as_str()));
    if has(&w.fallback) {
        Role::Fallback
    } else if has(&w.verify) {
        Role::Verify
    } else if has(&w.deploy) || commands.iter().any(|c| deploys(c)) {
        Role::Deploy
    } else {
        Role::Other
    }
}

/// Whether a command line deploys (`helm upgrade …`, `kubectl apply …`).
pub(super) fn deploys(command: &str) -> bool {
    let squeezed: String = command.split_whitespace().collect::<Vec<_>>().join(" ");
    words().deploy_commands.iter().any(|c| squeezed.contains(c.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_file_reads() {
        let words: Words = crate::source::parse_as(include_str!("../../templates/lint/job-roles.yaml")).unwrap();
        assert!(!words.fallback.is_empty() && !words.verify.is_empty() && !words.deploy.is_empty());
        assert!(!words.deploy_commands.is_empty());
    }

    #[test]
    fn a_fallback_word_wins_over_a_deploy_word_and_parts_of_words_do_not_count() {
        assert_eq!(role_of("rollback-deploy", None, &[]), Role::Fallback);
        assert_eq!(role_of("smoke_test", Some("Smoke test production"), &[]), Role::Verify);
        assert_eq!(role_of("deploy:prod", None, &[]), Role::Deploy);
        assert_eq!(role_of("build", None, &["helm   upgrade --install api ./chart"]), Role::Deploy);
        assert_eq!(role_of("checkout", None, &["npm test"]), Role::Other);
        assert_eq!(role_of("redeploy-docs", None, &[]), Role::Other, "redeploy is not the word deploy");
        assert_eq!(role_of("", Some("Fall back: scale to zero"), &[]), Role::Fallback);
        assert_eq!(role_of("", Some("Roll back the release"), &[]), Role::Fallback, "before the deploy word release");
        assert_eq!(role_of("", Some("Run smoke test"), &[]), Role::Verify);
    }
}
