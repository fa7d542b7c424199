//! Which shell commands deploy: the commands of a guide's code blocks that make it a deployment guide.

/// Whether a shell command deploys: it runs a `deploy` command or script (`cdk deploy`, `fly deploy`,
/// `make deploy`, `./scripts/deploy.sh`), or a known deployment step (`docker compose up -d`,
/// `kubectl apply`, `helm install`, `terraform apply`).
pub fn is_deploy_command(command: &str) -> bool {
    let words: Vec<String> = command
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'', '`']).to_lowercase())
        .collect();
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    // `npx cdk deploy`, `npm run deploy`, `poetry run fly deploy`: the runner is not the command.
    let skip = match word(0) {
        "npx" | "bunx" | "pnpx" => 1,
        "npm" | "pnpm" | "yarn" | "bun" | "poetry" | "uv" | "pipenv" if word(1) == "run" => 2,
        "pnpm" | "yarn" | "bun" => 1,
        _ => 0,
    };
    let head: Vec<&str> = (skip..skip + 3).map(word).collect();
    let names_deploy = head.iter().any(|w| {
        let name = w.rsplit('/').next().unwrap_or(w);
        !w.contains("://") && (name.starts_with("deploy") || name.ends_with(":deploy"))
    });
    let has = |flag: &str| words.iter().any(|w| w == flag);
    let compose =
        (word(skip) == "docker" && word(skip + 1) == "compose") || word(skip) == "docker-compose";
    let detached = has("-d") || has("--detach") || words.iter().any(|w| w.contains("prod"));
    names_deploy
        || (compose && words.iter().any(|w| w == "up") && detached)
        || matches!(
            (head[0], head[1]),
            ("kubectl", "apply")
                | ("helm", "install")
                | ("helm", "upgrade")
                | ("terraform", "apply")
                | ("tofu", "apply")
                | ("pulumi", "up")
                | ("railway", "up")
                | ("docker", "stack")
                | ("ansible-playbook", _)
        )
        || (head[0] == "git" && head[1] == "push" && head[2] == "heroku")
        || (head[0] == "vercel" && has("--prod"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployment_commands() {
        for command in [
            "docker compose up -d",
            "docker-compose -f docker-compose.prod.yml up --build",
            "cdk deploy --all",
            "npx cdk deploy Api",
            "kubectl apply -f k8s/",
            "helm install api ./chart",
            "fly deploy",
            "terraform apply -auto-approve",
            "make deploy",
            "npm run deploy:prod",
            "./scripts/deploy.sh prod",
            "gcloud run deploy api --source .",
            "copilot svc deploy",
        ] {
            assert!(is_deploy_command(command), "{command}");
        }
        for command in [
            "docker compose up",
            "pip install -e .",
            "pytest",
            "kubectl get pods",
            "git clone https://example.com/deploy-tools",
            "",
        ] {
            assert!(!is_deploy_command(command), "{command}");
        }
    }
}
