//! Compose semantics read from the YAML value model: one [`ComposeService`] per entry of `services:`, with each
//! field read the way Docker Compose reads it (short and long syntaxes, YAML 1.1 words like `no` and `off`).

use shipready_text::TextRange;

use super::value::{Entry, Kind, Value};
use super::{ComposeBuild, ComposeHealthcheck, ComposeService, DependsOn};
use crate::Spanned;

/// The services of a `services:` mapping, in file order.
pub(crate) fn services(services: &Value) -> Vec<ComposeService> {
    services
        .entries()
        .iter()
        .filter_map(|entry| {
            let (name, range) = entry.key.scalar()?;
            Some(service(Spanned::new(name.to_owned(), range), entry))
        })
        .collect()
}

fn service(name: Spanned<String>, entry: &Entry) -> ComposeService {
    let body = &entry.value;
    ComposeService {
        name,
        range: entry.range,
        build: body.entry("build").and_then(build),
        image: body.get("image").and_then(text),
        ports: body.get("ports").map(ports).unwrap_or_default(),
        healthcheck: body.entry("healthcheck").and_then(healthcheck),
        restart: body.get("restart").and_then(restart),
        depends_on: body.get("depends_on").map(depends_on).unwrap_or_default(),
        volumes: body.get("volumes").map(volumes).unwrap_or_default(),
        command: body.get("command").and_then(command),
        environment: body.get("environment").map(environment).unwrap_or_default(),
        restart_policy: super::deploy::restart_policy(body),
        env_file: body.get("env_file").is_some_and(|v| !v.is_null()),
    }
}

/// A non-null scalar as written (numbers and booleans keep their text), with the range of its text.
fn text(v: &Value) -> Option<Spanned<String>> {
    if v.is_null() {
        return None;
    }
    v.scalar()
        .map(|(s, range)| Spanned::new(s.to_owned(), range))
}

fn scalar_str(v: Option<&Value>) -> Option<String> {
    v.filter(|v| !v.is_null())
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// A YAML 1.1 boolean (`yes`, `On`, `FALSE`, ...) in a plain scalar.
pub(crate) fn yaml11_bool(v: &Value) -> Option<bool> {
    match v.plain()? {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Some(false)
        }
        _ => None,
    }
}

fn build(entry: &Entry) -> Option<ComposeBuild> {
    let v = &entry.value;
    match &v.kind {
        Kind::Scalar(_) if !v.is_null() => Some(ComposeBuild {
            range: entry.range,
            context: v.as_str()?.to_owned(),
            dockerfile: None,
            target: None,
        }),
        Kind::Map(_) => Some(ComposeBuild {
            range: entry.range,
            context: scalar_str(v.get("context")).unwrap_or_else(|| ".".to_owned()),
            dockerfile: scalar_str(v.get("dockerfile")),
            target: scalar_str(v.get("target")),
        }),
        // `build:` with nothing after it still means "build the current folder".
        _ => Some(ComposeBuild {
            range: entry.range,
            context: ".".to_owned(),
            dockerfile: None,
            target: None,
        }),
    }
}

fn ports(v: &Value) -> Vec<Spanned<String>> {
    v.items().iter().filter_map(port).collect()
}

/// `- 8000:8000`, `- "80"`, or the long form `{target: 80, published: 8080, host_ip: ..., protocol: udp}`.
fn port(v: &Value) -> Option<Spanned<String>> {
    if !matches!(v.kind, Kind::Map(_)) {
        return text(v);
    }
    let target = scalar_str(v.get("target"))?;
    let mut out = String::new();
    if let Some(ip) = scalar_str(v.get("host_ip")) {
        out.push_str(&ip);
        out.push(':');
    }
    match scalar_str(v.get("published")) {
        Some(published) => {
            out.push_str(&published);
            out.push(':');
        }
        None if !out.is_empty() => out.push(':'),
        None => {}
    }
    out.push_str(&target);
    if let Some(protocol) = scalar_str(v.get("protocol")).filter(|p| p != "tcp") {
        out.push('/');
        out.push_str(&protocol);
    }
    Some(Spanned::new(out, v.range))
}

fn healthcheck(entry: &Entry) -> Option<ComposeHealthcheck> {
    let v = &entry.value;
    let test = v.get("test");
    let words = test.map(words).unwrap_or_default();
    let none = words.first().is_some_and(|w| w == "NONE");
    let disabled = v.get("disable").and_then(yaml11_bool).unwrap_or(false) || none;
    let command = match words.first().map(String::as_str) {
        Some("CMD" | "CMD-SHELL") => words.get(1..).unwrap_or_default().join(" "),
        Some("NONE") => String::new(),
        _ => test
            .and_then(Value::as_str)
            .map(|s| s.trim_end().to_owned())
            .unwrap_or_else(|| words.join(" ")),
    };
    Some(ComposeHealthcheck {
        range: entry.range,
        disabled,
        test: command,
    })
}

/// The words of a list-form command, or the single string of a string-form one.
fn words(v: &Value) -> Vec<String> {
    match &v.kind {
        Kind::Seq(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Kind::Scalar(s) if !v.is_null() => vec![s.text.trim_end().to_owned()],
        _ => Vec::new(),
    }
}

/// `restart:`; an unquoted `no`/`false`/`off` is a YAML 1.1 boolean that Compose reads as the policy "no".
fn restart(v: &Value) -> Option<Spanned<String>> {
    let written = text(v)?;
    if yaml11_bool(v) == Some(false) {
        return Some(Spanned::new("no".to_owned(), written.range));
    }
    Some(written)
}

fn depends_on(v: &Value) -> Vec<DependsOn> {
    match &v.kind {
        Kind::Seq(items) => items
            .iter()
            .filter_map(text)
            .map(|service| DependsOn {
                service,
                condition: None,
            })
            .collect(),
        Kind::Map(entries) => entries
            .iter()
            .filter_map(|e| {
                let service = text(&e.key)?;
                Some(DependsOn {
                    service,
                    condition: scalar_str(e.value.get("condition")),
                })
            })
            .collect(),
        _ => text(v)
            .map(|service| {
                vec![DependsOn {
                    service,
                    condition: None,
                }]
            })
            .unwrap_or_default(),
    }
}

/// Short `source:target[:mode]` strings as written; long-form mappings become `source:target` (or just the target
/// for anonymous volumes and tmpfs).
fn volumes(v: &Value) -> Vec<Spanned<String>> {
    v.items()
        .iter()
        .filter_map(|item| {
            if !matches!(item.kind, Kind::Map(_)) {
                return text(item);
            }
            let target = scalar_str(item.get("target"))?;
            let value = match scalar_str(item.get("source")) {
                Some(source) => format!("{source}:{target}"),
                None => target,
            };
            Some(Spanned::new(value, item.range))
        })
        .collect()
}

fn command(v: &Value) -> Option<Spanned<String>> {
    match &v.kind {
        Kind::Seq(_) => Some(Spanned::new(words(v).join(" "), v.range)),
        _ => text(v).map(|t| Spanned::new(t.value.trim_end().to_owned(), t.range)),
    }
}

/// `KEY: value` mappings (a null value is `None`) and `KEY=VALUE` / `KEY` lists.
fn environment(v: &Value) -> Vec<Spanned<(String, Option<String>)>> {
    match &v.kind {
        Kind::Map(entries) => entries
            .iter()
            .filter_map(|e| {
                let key = e.key.as_str()?.to_owned();
                let value = if e.value.is_null() {
                    None
                } else {
                    e.value.as_str().map(str::to_owned)
                };
                Some(Spanned::new((key, value), e.range))
            })
            .collect(),
        Kind::Seq(items) => items
            .iter()
            .filter_map(|item| {
                let (s, range) = item.scalar()?;
                let pair = match s.split_once('=') {
                    Some((k, val)) => (k.to_owned(), Some(val.to_owned())),
                    None => (s.to_owned(), None),
                };
                Some(Spanned::new(pair, range))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The range of a key, for `services_key`.
pub(crate) fn key_range(entry: &Entry) -> TextRange {
    entry.key.scalar().map_or(entry.key.range, |(_, r)| r)
}
