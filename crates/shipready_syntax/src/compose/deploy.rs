//! The `deploy:` section of a compose service, as Docker Swarm (`docker stack deploy`) and Compose read it: only
//! the restart policy for now, which stands in for `restart:` in stack files.

use super::value::{Kind, Value};
use crate::Spanned;

/// `deploy.restart_policy` as the condition it sets (`none`, `on-failure`, `any`), with the range of the
/// `restart_policy` value. A policy without a `condition` restarts on any exit, so it reads as `any`; an
/// unquoted YAML 1.1 `no`/`false` reads as `none`.
pub(crate) fn restart_policy(service: &Value) -> Option<Spanned<String>> {
    let policy = service.get("deploy")?.get("restart_policy")?;
    if policy.is_null() {
        return None;
    }
    let condition = match &policy.kind {
        Kind::Map(_) => match policy.get("condition").filter(|c| !c.is_null()) {
            Some(c) if super::service::yaml11_bool(c) == Some(false) => "none".to_owned(),
            Some(c) => c.as_str()?.to_owned(),
            None => "any".to_owned(),
        },
        _ => return None,
    };
    Some(Spanned::new(condition, policy.range))
}

#[cfg(test)]
mod tests {
    use crate::compose::parse;

    fn policy(text: &str) -> Option<String> {
        let facts = parse(text);
        let service = facts.services.first()?;
        service.restart_policy.as_ref().map(|p| p.value.clone())
    }

    #[test]
    fn restart_policies_of_stack_files() {
        let with = |body: &str| format!("services:\n  web:\n    image: nginx\n    deploy:\n{body}");
        assert_eq!(
            policy(&with(
                "      restart_policy:\n        condition: on-failure\n"
            ))
            .as_deref(),
            Some("on-failure")
        );
        assert_eq!(
            policy(&with("      restart_policy:\n        max_attempts: 3\n")).as_deref(),
            Some("any")
        );
        assert_eq!(
            policy(&with("      restart_policy:\n        condition: no\n")).as_deref(),
            Some("none")
        );
        assert_eq!(policy(&with("      replicas: 2\n")), None);
        assert_eq!(policy("services:\n  web:\n    image: nginx\n"), None);
    }

    #[test]
    fn the_range_is_the_policy_mapping() {
        let text = "services:\n  web:\n    deploy:\n      restart_policy: {condition: any}\n";
        let facts = parse(text);
        let range = facts.services[0].restart_policy.as_ref().map(|p| p.range);
        let got = range.map(|r| &text[r.start..r.end]);
        assert_eq!(got, Some("{condition: any}"));
    }
}
