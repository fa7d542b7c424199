use crate::python::parse;

fn slice(src: &str, r: shipready_text::TextRange) -> &str {
    &src[r.start..r.end]
}

#[test]
fn logging_setup_in_every_spelling() {
    let src = "import logging\nimport logging.config\nfrom logging.config import dictConfig as dc\n\
               import structlog\nfrom loguru import logger\n\
               logging.basicConfig(level=logging.INFO)\nlogging.config.fileConfig('x.ini')\ndc({})\n\
               structlog.configure(processors=[])\nlogger.add(sys.stderr)\napp.logger.addHandler(h)\n\
               logging.getLogger(__name__).info('not set-up')\n";
    let facts = parse(src).observe;
    let names: Vec<&str> = facts
        .logging_setup
        .iter()
        .map(|s| s.value.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "logging.basicConfig",
            "logging.config.fileConfig",
            "logging.config.dictConfig",
            "structlog.configure",
            "loguru.logger.add",
            "app.logger.addHandler"
        ]
    );
    assert_eq!(slice(src, facts.logging_setup[2].range), "dc");
}

#[test]
fn sentry_dsn_literal_or_from_the_environment() {
    let src = "import sentry_sdk\nfrom sentry_sdk import init\n\
               sentry_sdk.init(dsn=\"https://abc@o1.ingest.sentry.io/2\", traces_sample_rate=1.0)\n\
               init(os.environ['SENTRY_DSN'])\nsentry_sdk.init(dsn=settings.SENTRY_DSN)\n\
               sentry_sdk.init(dsn='')\nsentry_sdk.init(f\"https://{key}@sentry.io/1\")\nsentry_sdk.init()\n";
    let inits = parse(src).observe.error_tracking;
    assert_eq!(inits.len(), 6);
    let literal = inits[0].dsn.as_ref().and_then(|d| d.literal.as_deref());
    assert_eq!(literal, Some("https://abc@o1.ingest.sentry.io/2"));
    assert_eq!(
        inits[0].dsn.as_ref().map(|d| slice(src, d.range)),
        Some("\"https://abc@o1.ingest.sentry.io/2\"")
    );
    for init in &inits[1..] {
        assert!(
            init.dsn.as_ref().is_none_or(|d| d.literal.is_none()),
            "{init:?}"
        );
    }
    assert_eq!(inits[1].function, "sentry_sdk.init");
}

#[test]
fn downgrade_bodies() {
    let empty = "def upgrade():\n    op.add_column('t', c)\n\n\ndef downgrade():\n    \
                 # ### commands auto generated ###\n    pass\n    # ### end ###\n";
    let m = parse(empty).observe.migration.expect("a migration");
    assert!(m.downgrade_empty && m.upgrade_changes);
    assert_eq!(slice(empty, m.downgrade), "downgrade");
    let doc = "def upgrade() -> None:\n    op.drop_table('x')\n\ndef downgrade() -> None:\n    \"\"\"Irreversible.\"\"\"\n    ...\n";
    assert!(parse(doc)
        .observe
        .migration
        .is_some_and(|m| m.downgrade_empty));
    let real = "def upgrade():\n    op.add_column('t', c)\n\ndef downgrade():\n    op.drop_column('t', 'c')\n";
    assert!(parse(real)
        .observe
        .migration
        .is_some_and(|m| !m.downgrade_empty));
    let initial = "def upgrade() -> None:\n    pass\n\ndef downgrade() -> None:\n    pass\n";
    assert!(parse(initial)
        .observe
        .migration
        .is_some_and(|m| m.downgrade_empty && !m.upgrade_changes));
    // A method named downgrade is not a migration's.
    let method = "class A:\n    def downgrade(self):\n        pass\n";
    assert!(parse(method).observe.migration.is_none());
}

#[test]
fn stateful_construct_arguments_with_their_places() {
    let src = "from aws_cdk import RemovalPolicy, aws_dynamodb as ddb, aws_lambda as lambda_\n\
               t = ddb.Table(self, \"T\", partition_key=pk,\n    removal_policy=RemovalPolicy.DESTROY)\n\
               f = lambda_.Function(self, \"F\", runtime=r)\n";
    let facts = parse(src);
    let args = &facts.observe.construct_args;
    assert_eq!(args.len(), 1, "only the table is stateful: {args:?}");
    assert_eq!(slice(src, args[0].callee), "ddb.Table");
    assert_eq!(
        args[0].kwarg("removal_policy").map(|r| slice(src, r)),
        Some("removal_policy=RemovalPolicy.DESTROY")
    );
    let table = facts
        .cdk
        .constructs
        .iter()
        .find(|c| c.name == "Table")
        .expect("the table construct");
    assert_eq!(table.range, args[0].call);
}
