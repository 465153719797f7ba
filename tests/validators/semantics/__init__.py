"""planb's checks of what each tool does with a snippet, beyond its schema: each module holds one
tool's rules, and each rule cites the page of the tool's documentation or the source file it comes
from. `SEMANTICS[tool](entry, report, parsed)` runs them; `parsed` is what validate.py read."""
from . import argo_cd, argo_rollouts, codedeploy, flagger, github_actions, gitlab, harness, jenkins, octopus, spinnaker

SEMANTICS = {
    "argo-cd": argo_cd.check,
    "argo-rollouts": argo_rollouts.check,
    "codedeploy": codedeploy.check,
    "flagger": flagger.check,
    "github-actions": github_actions.check,
    "gitlab": gitlab.check,
    "harness": harness.check,
    "jenkins": jenkins.check,
    "octopus": octopus.check,
    "spinnaker": spinnaker.check,
}
