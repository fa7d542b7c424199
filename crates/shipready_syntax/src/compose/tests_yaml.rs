//! Tests of [`parse`](super::parse) on the YAML side of compose files written for these tests: anchors and merges,
//! broken and half-typed files, line endings, flow style and multiple documents.

use super::tests::{service, strings};
use super::*;

#[test]
fn anchors_aliases_and_merge_keys_are_resolved() {
    let text = "x-common: &common\n  restart: unless-stopped\n  healthcheck:\n    test: [\"CMD\", \"true\"]\n  image: base\nx-env: &env\n  LOG: info\nservices:\n  api:\n    <<: *common\n    image: api:1\n    environment: *env\n  worker:\n    <<: [*common]\n";
    let f = parse(text);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let api = service(&f, "api");
    assert_eq!(
        api.image.as_ref().map(|i| i.range.slice(text)),
        Some("api:1")
    );
    let restart = api.restart.as_ref().map(|r| (r.value.as_str(), r.range));
    assert_eq!(restart.map(|(v, _)| v), Some("unless-stopped"));
    // The merged value points at the anchor's text, where it was written.
    let at = text.find("unless-stopped").unwrap_or(0);
    assert_eq!(restart.map(|(_, r)| r.start), Some(at));
    assert_eq!(
        api.healthcheck.as_ref().map(|h| h.test.as_str()),
        Some("true")
    );
    assert_eq!(
        api.environment.first().map(|e| e.value.0.as_str()),
        Some("LOG")
    );
    let worker = service(&f, "worker");
    assert_eq!(
        worker.image.as_ref().map(|i| i.value.as_str()),
        Some("base")
    );
    assert_eq!(worker.range.slice(text), "worker:\n    <<: [*common]");
}

#[test]
fn earlier_merge_sources_win_over_later_ones() {
    let text = "x-a: &a {image: first, restart: always}\nx-b: &b {image: second, command: run}\nservices:\n  s:\n    <<: [*a, *b]\n";
    let f = parse(text);
    let s = service(&f, "s");
    assert_eq!(s.image.as_ref().map(|i| i.value.as_str()), Some("first"));
    assert_eq!(s.command.as_ref().map(|c| c.value.as_str()), Some("run"));
    assert_eq!(s.restart.as_ref().map(|r| r.value.as_str()), Some("always"));
}

#[test]
fn alias_bombs_are_capped() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..12 {
        let prev = if i == 0 {
            "a".to_owned()
        } else {
            format!("l{}", i - 1)
        };
        text.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    text.push_str("services:\n  s:\n    image: ok\n");
    let f = parse(&text);
    assert_eq!(
        service(&f, "s").image.as_ref().map(|i| i.value.as_str()),
        Some("ok")
    );
    assert!(f.errors.iter().any(|e| e.message.contains("too much")));
}

#[test]
fn unknown_and_self_referencing_aliases_are_errors() {
    let text = "x: &x [*x]\nservices:\n  s:\n    image: *missing\n";
    let f = parse(text);
    assert_eq!(f.services.len(), 1);
    assert!(service(&f, "s").image.is_none());
    let ranges: Vec<&str> = f.errors.iter().map(|e| e.range.slice(text)).collect();
    assert_eq!(ranges, ["*x", "*missing"]);
}

#[test]
fn half_typed_files_still_yield_services() {
    let text = "services:\n  api:\n    image: ";
    let f = parse(text);
    assert_eq!(f.services.len(), 1);
    assert!(service(&f, "api").image.is_none());

    let text = "services:\n  api:\n    image: nginx\n\tports:\n      - \"80:80\"\n  db:\n    image: postgres\n";
    let f = parse(text);
    assert_eq!(f.errors.len(), 1, "{:?}", f.errors);
    assert_eq!(f.errors[0].range.slice(text), "\t");
    assert_eq!(strings(&service(&f, "api").ports), ["80:80"]);
    assert_eq!(service(&f, "api").ports[0].range.slice(text), "80:80");
    assert_eq!(
        service(&f, "db")
            .image
            .as_ref()
            .map(|i| i.range.slice(text)),
        Some("postgres")
    );
    assert_eq!(
        service(&f, "db").range.slice(text),
        "db:\n    image: postgres"
    );

    let text = "services:\n  api:\n    image: nginx\n   ports: []\n  db:\n    image: x\n";
    let f = parse(text);
    assert!(!f.errors.is_empty());
    assert_eq!(f.services.len(), 2);

    let text = "services:\n  api:\n    image: [nginx\n  db:\n    image: pg\n";
    let f = parse(text);
    assert!(!f.errors.is_empty());
    assert_eq!(
        service(&f, "db")
            .image
            .as_ref()
            .map(|i| i.range.slice(text)),
        Some("pg")
    );
}

#[test]
fn crlf_bom_comments_and_quoted_keys() {
    let text = "\u{feff}# top comment\r\nservices:\r\n  \"web\": # the site\r\n    image: nginx # pinned later\r\n    'restart': \"no\"\r\n    command: |\r\n      run\r\n";
    let f = parse(text);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let web = service(&f, "web");
    assert_eq!(web.name.range.slice(text), "web");
    assert_eq!(
        web.image.as_ref().map(|i| i.range.slice(text)),
        Some("nginx")
    );
    assert_eq!(web.restart.as_ref().map(|r| r.value.as_str()), Some("no"));
    assert_eq!(web.command.as_ref().map(|c| c.value.as_str()), Some("run"));
}

#[test]
fn flow_style_services() {
    let text = "services: {api: {image: app, ports: [\"3000:3000\"], depends_on: [db]}, db: {image: pg}}\n";
    let f = parse(text);
    let api = service(&f, "api");
    assert_eq!(strings(&api.ports), ["3000:3000"]);
    assert_eq!(
        api.range.slice(text),
        "api: {image: app, ports: [\"3000:3000\"], depends_on: [db]}"
    );
    assert_eq!(
        service(&f, "db").image.as_ref().map(|i| i.value.as_str()),
        Some("pg")
    );
}

#[test]
fn multi_document_files_read_the_document_with_services() {
    let text =
        "name: app\n---\nservices:\n  s:\n    image: one\n---\nservices:\n  t:\n    image: two\n";
    let f = parse(text);
    assert_eq!(f.services.len(), 1);
    assert_eq!(f.services[0].name.value, "s");
    assert_eq!(f.services_key.map(|r| r.start), text.find("services"));
}

#[test]
fn non_ascii_and_hostile_input_never_panics() {
    let deep = "[".repeat(5000);
    let long = format!("services:\n  s:\n    image: {}\n", "é".repeat(100_000));
    for text in [
        "é:\n\té",
        "services: [",
        "services:\n  - a\n",
        "services: *x",
        "<<: *x",
        "\t\t\t",
        "services:\n  ? [a]\n  : b\n",
        &deep,
        &long,
    ] {
        let _ = parse(text);
    }
}

#[test]
fn a_file_indented_with_tabs_is_read_with_one_error_per_line() {
    let text = "services:\n\tweb:\n\t\timage: app\n\t\tports:\n\t\t\t- 80:80\n\t\t# a note\n\tdb:\n\t\timage: pg\n";
    let f = parse(text);
    assert_eq!(
        service(&f, "web")
            .image
            .as_ref()
            .map(|i| i.range.slice(text)),
        Some("app")
    );
    assert_eq!(strings(&service(&f, "web").ports), ["80:80"]);
    assert_eq!(
        service(&f, "db").image.as_ref().map(|i| i.value.as_str()),
        Some("pg")
    );
    // Six indented content lines, each reported on its tabs; the comment line is not an error.
    assert_eq!(f.errors.len(), 6, "{:?}", f.errors);
    assert!(f
        .errors
        .iter()
        .all(|e| e.range.slice(text).chars().all(|c| c == '\t')));
}

#[test]
fn a_block_left_without_its_parent_line_is_skipped() {
    // The `api:` line was deleted, leaving its body hanging under `services:` more indented than `db:`.
    let text = "services:\n  web:\n    image: web\n      command: run\n      restart: always\n  db:\n    image: pg\n";
    let f = parse(text);
    assert!(!f.errors.is_empty());
    assert_eq!(
        service(&f, "web").image.as_ref().map(|i| i.value.as_str()),
        Some("web")
    );
    assert_eq!(
        service(&f, "db")
            .image
            .as_ref()
            .map(|i| i.range.slice(text)),
        Some("pg")
    );
}

#[test]
fn healthcheck_disable_reads_yaml_11_booleans() {
    for (word, disabled) in [
        ("yes", true),
        ("On", true),
        ("true", true),
        ("no", false),
        ("off", false),
        ("\"yes\"", false),
    ] {
        let text = format!("services:\n  s:\n    healthcheck:\n      disable: {word}\n");
        let f = parse(&text);
        assert_eq!(
            service(&f, "s").healthcheck.as_ref().map(|h| h.disabled),
            Some(disabled),
            "{word}"
        );
    }
}
