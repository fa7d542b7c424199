//! Tests of [`parse`](super::parse) on compose files written for these tests: the fields of a service.

use super::*;

pub(super) fn service<'a>(facts: &'a ComposeFacts, name: &str) -> &'a ComposeService {
    match facts.services.iter().find(|s| s.name.value == name) {
        Some(s) => s,
        None => panic!(
            "no service {name} in {:?}",
            facts
                .services
                .iter()
                .map(|s| &s.name.value)
                .collect::<Vec<_>>()
        ),
    }
}

pub(super) fn strings(items: &[Spanned<String>]) -> Vec<&str> {
    items.iter().map(|s| s.value.as_str()).collect()
}

#[test]
fn empty_and_minimal_inputs() {
    assert_eq!(parse(""), ComposeFacts::default());
    let f = parse("services:\n");
    assert_eq!(
        f.services_key.map(|r| r.slice("services:\n")),
        Some("services")
    );
    assert!(f.services.is_empty() && f.errors.is_empty());
    let f = parse("version: '3'\n");
    assert!(f.services_key.is_none() && f.services.is_empty());
}

#[test]
fn basic_service_fields_and_ranges() {
    let text = "services:\n  web:\n    image: \"nginx:1.25\"\n    restart: always\n    command: npm start\n\n  db:\n    image: postgres\n";
    let f = parse(text);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    assert_eq!(f.services_key.map(|r| r.slice(text)), Some("services"));
    let web = service(&f, "web");
    assert_eq!(web.name.range.slice(text), "web");
    assert_eq!(
        web.range.slice(text),
        "web:\n    image: \"nginx:1.25\"\n    restart: always\n    command: npm start"
    );
    let image = web
        .image
        .as_ref()
        .map(|i| (i.value.as_str(), i.range.slice(text)));
    assert_eq!(image, Some(("nginx:1.25", "nginx:1.25")));
    assert_eq!(
        web.restart.as_ref().map(|r| r.range.slice(text)),
        Some("always")
    );
    assert_eq!(
        web.command.as_ref().map(|c| c.value.as_str()),
        Some("npm start")
    );
    let db = service(&f, "db");
    assert_eq!(db.range.slice(text), "db:\n    image: postgres");
    assert_eq!(f.services.len(), 2);
}

#[test]
fn build_short_and_long_forms() {
    let text = "services:\n  a:\n    build: ./api\n  b:\n    build:\n      context: backend\n      dockerfile: Dockerfile.prod\n  c:\n    build: {dockerfile: Containerfile}\n";
    let f = parse(text);
    let a = service(&f, "a").build.clone();
    assert_eq!(
        a.as_ref()
            .map(|b| (b.context.as_str(), b.dockerfile.clone())),
        Some(("./api", None))
    );
    assert_eq!(
        a.map(|b| b.range.slice(text).to_owned()).as_deref(),
        Some("build: ./api")
    );
    let b = service(&f, "b").build.clone();
    assert_eq!(
        b.map(|b| (b.context, b.dockerfile)),
        Some(("backend".to_owned(), Some("Dockerfile.prod".to_owned())))
    );
    let c = service(&f, "c").build.clone();
    assert_eq!(
        c.map(|b| (b.context, b.dockerfile)),
        Some((".".to_owned(), Some("Containerfile".to_owned())))
    );
}

#[test]
fn build_target_in_the_long_form_and_through_a_merge() {
    let text = "x-build: &b\n  context: .\n  target: runtime\nservices:\n  a:\n    build:\n      context: ./api\n      dockerfile: Dockerfile\n      target: Runtime\n  b:\n    build: {context: ., target: \"debug\"}\n  c:\n    build: ./api\n  d:\n    build:\n      <<: *b\n";
    let f = parse(text);
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    let target = |name: &str| {
        service(&f, name)
            .build
            .as_ref()
            .and_then(|b| b.target.clone())
    };
    assert_eq!(target("a").as_deref(), Some("Runtime"));
    assert_eq!(target("b").as_deref(), Some("debug"));
    assert_eq!(target("c"), None);
    assert_eq!(target("d").as_deref(), Some("runtime"));
}

#[test]
fn ports_keep_their_text_in_every_form() {
    let text = "services:\n  api:\n    ports:\n      - 8000:8000\n      - \"80\"\n      - 443\n      - '127.0.0.1:5432:5432'\n      - target: 80\n        published: 8080\n      - {target: 53, published: \"53\", protocol: udp, host_ip: 0.0.0.0}\n      - target: 9000\n";
    let f = parse(text);
    let api = service(&f, "api");
    assert_eq!(
        strings(&api.ports),
        [
            "8000:8000",
            "80",
            "443",
            "127.0.0.1:5432:5432",
            "8080:80",
            "0.0.0.0:53:53/udp",
            "9000"
        ]
    );
    assert_eq!(api.ports[0].range.slice(text), "8000:8000");
    assert_eq!(api.ports[1].range.slice(text), "80");
    assert_eq!(
        api.ports[4].range.slice(text),
        "target: 80\n        published: 8080"
    );
}

#[test]
fn healthcheck_forms() {
    let text = r#"services:
  a:
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost/health"]
      interval: 10s
  b:
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
  c:
    healthcheck:
      test: curl -f http://localhost || exit 1
  d:
    healthcheck:
      disable: true
  e:
    healthcheck:
      test: ["NONE"]
  f:
    healthcheck:
      test: >
        wget -qO- http://localhost:8080/
        || exit 1
  g:
    healthcheck:
      disable: no
      test: [CMD, true]
"#;
    let f = parse(text);
    let hc = |name: &str| {
        service(&f, name)
            .healthcheck
            .clone()
            .map(|h| (h.disabled, h.test))
    };
    assert_eq!(
        hc("a"),
        Some((false, "curl -f http://localhost/health".to_owned()))
    );
    assert_eq!(hc("b"), Some((false, "pg_isready -U postgres".to_owned())));
    assert_eq!(
        hc("c"),
        Some((false, "curl -f http://localhost || exit 1".to_owned()))
    );
    assert_eq!(hc("d"), Some((true, String::new())));
    assert_eq!(hc("e"), Some((true, String::new())));
    assert_eq!(
        hc("f"),
        Some((
            false,
            "wget -qO- http://localhost:8080/ || exit 1".to_owned()
        ))
    );
    assert_eq!(hc("g"), Some((false, "true".to_owned())));
    let range = service(&f, "d")
        .healthcheck
        .as_ref()
        .map(|h| h.range.slice(text));
    assert_eq!(range, Some("healthcheck:\n      disable: true"));
}

#[test]
fn restart_reads_yaml_11_words_as_the_policy_no() {
    for (written, expected) in [
        ("no", "no"),
        ("No", "no"),
        ("NO", "no"),
        ("false", "no"),
        ("off", "no"),
        ("\"no\"", "no"),
        ("on-failure:3", "on-failure:3"),
    ] {
        let text = format!("services:\n  s:\n    restart: {written}\n");
        let f = parse(&text);
        let restart = service(&f, "s").restart.clone();
        assert_eq!(
            restart.as_ref().map(|r| r.value.as_str()),
            Some(expected),
            "{written}"
        );
        assert_eq!(
            restart.map(|r| r.range.slice(&text).to_owned()).as_deref(),
            Some(written.trim_matches('"'))
        );
    }
}

#[test]
fn depends_on_list_and_map_forms() {
    let text = "services:\n  api:\n    depends_on: [db, cache]\n  worker:\n    depends_on:\n      db:\n        condition: service_healthy\n      api:\n        restart: true\n";
    let f = parse(text);
    let deps = |name: &str| {
        service(&f, name)
            .depends_on
            .iter()
            .map(|d| {
                (
                    d.service.value.clone(),
                    d.service.range.slice(text).to_owned(),
                    d.condition.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        deps("api"),
        [
            ("db".into(), "db".into(), None),
            ("cache".into(), "cache".into(), None)
        ]
    );
    assert_eq!(
        deps("worker"),
        [
            ("db".into(), "db".into(), Some("service_healthy".to_owned())),
            ("api".into(), "api".into(), None)
        ]
    );
}

#[test]
fn volumes_short_and_long_forms() {
    let text = "services:\n  db:\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n      - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro\n      - type: bind\n        source: ./static\n        target: /app/static\n      - type: tmpfs\n        target: /tmp\n";
    let f = parse(text);
    let db = service(&f, "db");
    assert_eq!(
        strings(&db.volumes),
        [
            "pgdata:/var/lib/postgresql/data",
            "./init.sql:/docker-entrypoint-initdb.d/init.sql:ro",
            "./static:/app/static",
            "/tmp"
        ]
    );
    assert_eq!(
        db.volumes[0].range.slice(text),
        "pgdata:/var/lib/postgresql/data"
    );
}

#[test]
fn command_string_list_and_block_forms() {
    let text = "services:\n  a:\n    command: [\"uvicorn\", \"app.main:app\", \"--port\", 8000]\n  b:\n    command:\n      - gunicorn\n      - -w\n      - \"4\"\n  c:\n    command: |\n      sh -c \"migrate && serve\"\n  d:\n    command: >-\n      python manage.py\n      runserver 0.0.0.0:8000\n";
    let f = parse(text);
    let cmd = |name: &str| service(&f, name).command.clone().map(|c| c.value);
    assert_eq!(
        cmd("a").as_deref(),
        Some("uvicorn app.main:app --port 8000")
    );
    assert_eq!(cmd("b").as_deref(), Some("gunicorn -w 4"));
    assert_eq!(cmd("c").as_deref(), Some("sh -c \"migrate && serve\""));
    assert_eq!(
        cmd("d").as_deref(),
        Some("python manage.py runserver 0.0.0.0:8000")
    );
    let a = service(&f, "a")
        .command
        .as_ref()
        .map(|c| c.range.slice(text));
    assert_eq!(a, Some("[\"uvicorn\", \"app.main:app\", \"--port\", 8000]"));
    let c = service(&f, "c")
        .command
        .as_ref()
        .map(|c| c.range.slice(text));
    assert_eq!(c, Some("|\n      sh -c \"migrate && serve\""));
}

#[test]
fn environment_map_and_list_forms() {
    let text = "services:\n  a:\n    environment:\n      DEBUG: \"false\"\n      PORT: 8000\n      SECRET:\n      EMPTY: ''\n      NIL: null\n  b:\n    environment:\n      - A=1\n      - B=x=y\n      - C\n";
    let f = parse(text);
    let env = |name: &str| {
        service(&f, name)
            .environment
            .iter()
            .map(|e| e.value.clone())
            .collect::<Vec<_>>()
    };
    let some = |k: &str, v: &str| (k.to_owned(), Some(v.to_owned()));
    let none = |k: &str| (k.to_owned(), None);
    assert_eq!(
        env("a"),
        [
            some("DEBUG", "false"),
            some("PORT", "8000"),
            none("SECRET"),
            some("EMPTY", ""),
            none("NIL")
        ]
    );
    assert_eq!(env("b"), [some("A", "1"), some("B", "x=y"), none("C")]);
    let a = &service(&f, "a").environment;
    assert_eq!(a[0].range.slice(text), "DEBUG: \"false\"");
    assert_eq!(a[2].range.slice(text), "SECRET:");
    assert_eq!(service(&f, "b").environment[1].range.slice(text), "B=x=y");
}
