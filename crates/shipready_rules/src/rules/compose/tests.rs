//! The compose rules together on a realistic stack: a base `compose.yaml`, a production `compose.prod.yaml`
//! that adds restart policies, a development `compose.override.yaml` (set aside by its name), a migration
//! service, an API, a worker, Postgres, Redis and an admin UI. Each gap is reported once, by one rule, at its
//! construct; what the production override closes and what the development file opens are not findings.

use crate::workspace_audit::audit_workspace;
use crate::{Profile, Workspace};

const BASE: &str = "\
services:
  api:
    build: ./api
    ports:
      - \"8000:8000\"
    depends_on:
      migrate:
        condition: service_completed_successfully
      db:
        condition: service_healthy
      cache:
        condition: service_started
  worker:
    build: ./api
    command: celery -A app.tasks worker
    depends_on:
      - db
  migrate:
    build: ./api
    command: alembic upgrade head
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:16-alpine
    ports:
      - \"5432:5432\"
    healthcheck:
      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]
  cache:
    image: redis:7-alpine
    ports:
      - \"127.0.0.1:6379:6379\"
  adminer:
    image: adminer
    depends_on:
      - db
";

const PROD: &str = "\
services:
  api:
    restart: unless-stopped
  worker:
    restart: unless-stopped
  db:
    restart: unless-stopped
    volumes:
      - db-data:/var/lib/postgresql/data
  cache:
    restart: unless-stopped
";

const DEV: &str = "\
services:
  api:
    command: uvicorn app.main:app --reload --host 0.0.0.0
    volumes:
      - ./api:/srv
";

const IMAGE: &str = "\
FROM python:3.12-slim
WORKDIR /srv
COPY . .
HEALTHCHECK CMD python -c \"import urllib.request; urllib.request.urlopen('http://localhost:8000/health')\"
CMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\"]
";

#[test]
fn each_gap_of_a_realistic_stack_once_at_its_construct() {
    let ws = Workspace::from_texts([
        ("compose.yaml", BASE),
        ("compose.prod.yaml", PROD),
        ("compose.override.yaml", DEV),
        ("api/Dockerfile", IMAGE),
    ]);
    let audit = audit_workspace(&ws, Profile::Standard);
    let mut got: Vec<(&str, String, String)> = audit
        .findings()
        .iter()
        .filter(|f| f.code.starts_with("DK") && f.code > "DK004")
        .filter_map(|f| {
            let file = f.file.as_deref()?;
            let r = f.range?;
            let text = ws.file(file)?.text.get(r.start..r.end)?.to_owned();
            Some((f.code, file.to_owned(), text))
        })
        .collect();
    got.sort();
    let want = [
        // adminer is long-running and restarts nowhere; migrate runs once.
        ("DK005", "compose.yaml", "adminer"),
        // The worker starts with the database (short syntax), the API only waits for the cache to start;
        // adminer need not wait.
        ("DK006", "compose.yaml", "db"),
        ("DK006", "compose.yaml", "cache"),
        // Postgres on every interface; Redis only on the loopback.
        ("DK008", "compose.yaml", "5432:5432"),
        // api and worker run an image with a HEALTHCHECK and db has its own, so HC002 passes: the cache and
        // adminer are left without a check.
        ("DK009", "compose.yaml", "cache"),
        ("DK009", "compose.yaml", "adminer"),
    ];
    let mut want: Vec<(&str, String, String)> = want
        .iter()
        .map(|(c, f, t)| (*c, (*f).to_owned(), (*t).to_owned()))
        .collect();
    want.sort();
    assert_eq!(got, want, "{:#?}", audit.findings());
}

#[test]
fn swarm_stack_services_restart_by_default() {
    let stack =
        "services:\n  api:\n    image: ghcr.io/acme/api:1.2.3\n    deploy:\n      replicas: 2\n";
    let compose = "services:\n  api:\n    image: ghcr.io/acme/api:1.2.3\n";
    for (path, flagged) in [("docker-stack.yml", false), ("compose.yaml", true)] {
        let text = if flagged { compose } else { stack };
        let ws = Workspace::from_texts([(path, text)]);
        let audit = audit_workspace(&ws, Profile::Standard);
        let dk005 = audit.findings().iter().any(|f| f.code == "DK005");
        assert_eq!(dk005, flagged, "{path}");
    }
    // Beside a plain compose file of the same services, the plain file still needs its policies.
    let ws = Workspace::from_texts([("docker-stack.yml", stack), ("compose.images.yml", compose)]);
    let audit = audit_workspace(&ws, Profile::Standard);
    let flagged: Vec<Option<&str>> = audit
        .findings()
        .iter()
        .filter(|f| f.code == "DK005")
        .map(|f| f.file.as_deref())
        .collect();
    assert_eq!(flagged, [Some("compose.images.yml")]);
}
