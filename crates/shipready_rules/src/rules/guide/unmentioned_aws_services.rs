//! ## What it checks
//! That the deployment guide mentions at least 60% of the AWS services the CDK app provisions (a VPC, ECS or
//! Lambda, API Gateway or a load balancer, RDS or DynamoDB, S3, CloudWatch, Secrets Manager, CloudFront,
//! Route 53, ...), matched as whole words with common synonyms ("Fargate" for ECS, "ALB" for load balancing).
//! It applies only to a unit that deploys to AWS through a CDK app that provisions services; elsewhere it is
//! not applicable (the `seed` profile counts that as a failure, as the seed does).
//!
//! ## Why it matters
//! A guide that does not name the services does not tell an operator where to look when one of them fails.
//!
//! ## Example
//! The app provisions RDS, S3 and CloudFront; the guide only talks about "the server".
//!
//! ## Fix
//! Describe each service the app provisions: what it is for, where to find it, how to check it.

use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "unmentioned-aws-services",
    category: Category::Guide,
    severity: Severity::Low,
    title: "Deployment guide mentions under 60% of the provisioned AWS services",
    impact: "Operators do not know which services make up the deployment or where to look when one fails.",
    recommendation: "Describe each AWS service the CDK app provisions in the deployment guide.",
    effort: "1 hour",
    source: include_str!("unmentioned_aws_services.rs"),
    check,
};

/// An AWS service: its display name, the CDK modules that provision it, and the words that mention it.
struct Service {
    name: &'static str,
    modules: &'static [&'static str],
    words: &'static [&'static str],
}

const SERVICES: &[Service] = &[
    Service {
        name: "Amazon VPC",
        modules: &["ec2"],
        words: &["vpc", "ec2", "subnet", "subnets"],
    },
    Service {
        name: "Amazon ECS",
        modules: &["ecs", "ecs_patterns"],
        words: &["ecs", "fargate", "elastic container service"],
    },
    Service {
        name: "AWS Lambda",
        modules: &["lambda", "lambda_python_alpha"],
        words: &["lambda"],
    },
    Service {
        name: "Amazon API Gateway",
        modules: &["apigateway", "apigatewayv2"],
        words: &["api gateway", "apigateway"],
    },
    Service {
        name: "Elastic Load Balancing",
        modules: &["elbv2"],
        words: &["load balancer", "alb", "elb", "nlb"],
    },
    Service {
        name: "Amazon RDS",
        modules: &["rds"],
        words: &["rds", "aurora", "postgres", "postgresql", "mysql"],
    },
    Service {
        name: "Amazon DynamoDB",
        modules: &["dynamodb"],
        words: &["dynamodb"],
    },
    Service {
        name: "Amazon S3",
        modules: &["s3"],
        words: &["s3"],
    },
    Service {
        name: "Amazon CloudWatch",
        modules: &["cloudwatch", "logs", "cloudwatch_actions"],
        words: &["cloudwatch"],
    },
    Service {
        name: "AWS Secrets Manager",
        modules: &["secretsmanager"],
        words: &["secrets manager", "secretsmanager"],
    },
    Service {
        name: "AWS Systems Manager",
        modules: &["ssm"],
        words: &["ssm", "parameter store", "systems manager"],
    },
    Service {
        name: "Amazon CloudFront",
        modules: &["cloudfront"],
        words: &["cloudfront", "cdn"],
    },
    Service {
        name: "Amazon Route 53",
        modules: &["route53"],
        words: &["route 53", "route53", "dns"],
    },
    Service {
        name: "AWS CodeDeploy",
        modules: &["codedeploy"],
        words: &["codedeploy"],
    },
    Service {
        name: "Amazon SQS",
        modules: &["sqs"],
        words: &["sqs", "queue"],
    },
    Service {
        name: "Amazon SNS",
        modules: &["sns"],
        words: &["sns"],
    },
    Service {
        name: "Amazon ElastiCache",
        modules: &["elasticache"],
        words: &["elasticache", "redis", "memcached"],
    },
    Service {
        name: "Amazon ECR",
        modules: &["ecr"],
        words: &["ecr", "container registry"],
    },
    Service {
        name: "AWS KMS",
        modules: &["kms"],
        words: &["kms"],
    },
    Service {
        name: "Amazon Cognito",
        modules: &["cognito"],
        words: &["cognito"],
    },
    Service {
        name: "AWS WAF",
        modules: &["wafv2"],
        words: &["waf"],
    },
    Service {
        name: "AWS Certificate Manager",
        modules: &["certificatemanager"],
        words: &["acm", "certificate manager", "certificate"],
    },
    Service {
        name: "Amazon EFS",
        modules: &["efs"],
        words: &["efs"],
    },
    Service {
        name: "Amazon EKS",
        modules: &["eks"],
        words: &["eks", "kubernetes"],
    },
    Service {
        name: "AWS Step Functions",
        modules: &["stepfunctions"],
        words: &["step functions", "state machine"],
    },
    Service {
        name: "Amazon EventBridge",
        modules: &["events"],
        words: &["eventbridge"],
    },
];

/// Whether `text` (lower-case) contains `word` as a whole word or phrase.
pub(crate) fn mentions(text: &str, word: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(word).any(|(at, _)| {
        let before = at.checked_sub(1).and_then(|i| bytes.get(i));
        let after = bytes.get(at + word.len());
        let boundary = |b: Option<&u8>| b.is_none_or(|c| !c.is_ascii_alphanumeric());
        boundary(before) && boundary(after)
    })
}

fn check(ctx: &Context) -> Outcome {
    let cdk = &ctx.index.cdk();
    let provisioned: Vec<&Service> = SERVICES
        .iter()
        .filter(|s| {
            cdk.constructs
                .iter()
                .any(|(_, c)| s.modules.contains(&c.module.as_str()))
        })
        .collect();
    if ctx.index.aws().is_none() || !cdk.present || provisioned.is_empty() {
        let finding = Finding::anchored(
            super::super::docs_anchor(ctx),
            "No CDK app provisions AWS services, so the guide cannot cover them: add the CDK app, or use `--profile standard`, which leaves this check out.",
        );
        let details = if ctx.index.aws().is_none() {
            "the unit does not deploy to AWS"
        } else {
            "no AWS services provisioned"
        };
        return Outcome::not_applicable(details, finding);
    }
    let (file, md) = match super::guide(ctx) {
        Ok(g) => g,
        Err(outcome) => return outcome,
    };
    let text = &md.plain_text_lower;
    let (mentioned, missing): (Vec<&Service>, Vec<&Service>) = provisioned
        .iter()
        .partition(|s| s.words.iter().any(|w| mentions(text, w)));
    let pct = mentioned.len() * 100 / provisioned.len();
    let details = format!("{pct}% AWS service coverage");
    if mentioned.len() * 10 >= provisioned.len() * 6 {
        return Outcome::pass(details, vec![file.path.clone()]);
    }
    let anchor = md
        .title()
        .map(|h| h.range)
        .unwrap_or_else(|| super::super::first_line(&file.text));
    let names: Vec<&str> = missing.iter().map(|s| s.name).collect();
    let message = format!(
        "The deployment guide mentions {}/{} AWS services the CDK app provisions (needs 60%); not mentioned: {}.",
        mentioned.len(),
        provisioned.len(),
        names.join(", ")
    );
    Outcome::fail(details, vec![Finding::at(&file.path, anchor, message)])
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn whole_words_only() {
        assert!(mentions("store files in s3.", "s3"));
        assert!(mentions("the api gateway url", "api gateway"));
        assert!(!mentions("s3cret", "s3"));
        assert!(!mentions("ecstatic", "ecs"));
    }
}
