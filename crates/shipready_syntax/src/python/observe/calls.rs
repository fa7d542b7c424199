//! One pass over the calls of a file: logging set-up, error-tracker initialisation, and the keyword arguments of
//! the stateful CDK constructs the CDK extractor found.

use crate::python::ts::KindName;
use std::collections::HashSet;

use tree_sitter::Node;

use super::{ConstructArgs, Dsn, ErrorTrackingInit, ObserveFacts, STATEFUL_MODULES};
use crate::python::imports::ImportMap;
use crate::python::index::{Kind, NodeIndex};
use crate::python::ts::{dotted, is_interpolated, range, string_value, text, Args, Field};
use crate::python::CdkFacts;
use crate::Spanned;

/// Qualified functions whose call configures logging handlers or formats.
const LOGGING_SETUP: &[&str] = &[
    "logging.basicConfig",
    "logging.config.dictConfig",
    "logging.config.fileConfig",
    "structlog.configure",
    "loguru.logger.add",
    "loguru.logger.configure",
    "aws_lambda_powertools.Logger",
    "aws_lambda_powertools.logging.Logger",
];

/// Qualified functions that initialise an error tracker with a DSN.
const ERROR_TRACKERS: &[&str] = &["sentry_sdk.init"];

pub(super) fn collect(
    index: &NodeIndex,
    src: &str,
    map: &ImportMap,
    cdk: &CdkFacts,
    facts: &mut ObserveFacts,
) {
    let stateful: HashSet<(usize, usize)> = cdk
        .constructs
        .iter()
        .filter(|c| STATEFUL_MODULES.contains(&c.module.as_str()))
        .map(|c| (c.range.start, c.range.end))
        .collect();
    for id in index.of_kind(Kind::Call) {
        let Some(call) = index.node(id) else {
            continue;
        };
        let Some(function) = call.field("function") else {
            continue;
        };
        if stateful.contains(&(call.start_byte(), call.end_byte())) {
            facts
                .construct_args
                .push(construct_args(call, function, src));
            continue;
        }
        let Some(written) = dotted(function, src) else {
            continue;
        };
        let qualified = map.qualify(&written);
        let name = qualified.as_deref().unwrap_or(&written);
        if LOGGING_SETUP.contains(&name) || written.ends_with(".addHandler") {
            facts
                .logging_setup
                .push(Spanned::new(name.to_owned(), range(function)));
        } else if ERROR_TRACKERS.contains(&name) {
            let args = Args::of(call, src);
            facts.error_tracking.push(ErrorTrackingInit {
                function: name.to_owned(),
                range: range(function),
                dsn: args.get(0, "dsn").map(|value| dsn(value, src)),
            });
        }
    }
}

fn dsn(value: Node, src: &str) -> Dsn {
    let literal = (!is_interpolated(value, src))
        .then(|| string_value(value, src))
        .flatten()
        .filter(|v| !v.trim().is_empty());
    Dsn {
        literal,
        range: range(value),
    }
}

fn construct_args(call: Node, function: Node, src: &str) -> ConstructArgs {
    let mut kwargs = Vec::new();
    if let Some(list) = call.field("arguments") {
        let mut cursor = list.walk();
        for arg in list.named_children(&mut cursor) {
            if arg.kind_name() != "keyword_argument" {
                continue;
            }
            if let Some(name) = arg.field("name") {
                kwargs.push((text(name, src).to_owned(), range(arg)));
            }
        }
    }
    ConstructArgs {
        call: range(call),
        callee: range(function),
        kwargs,
    }
}
