//! DS003's quick fix: the missing `deletion_protection=True` / `point_in_time_recovery=True` is added to the
//! construct call, the gap closes, and the fix is not offered twice.

use super::tests::{audit_files, check_fix, files, finding};

const APP: &str = "import aws_cdk as cdk\nfrom aws_cdk import aws_dynamodb as dynamodb\nfrom aws_cdk import aws_rds as rds\n\n\nclass Data(cdk.Stack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n";

fn app(body: &str) -> String {
    format!("{APP}{body}\n\napp = cdk.App()\nData(app, \"Data\")\napp.synth()\n")
}

#[test]
fn table_gets_point_in_time_recovery_on_a_line_of_its_own() {
    let text = app("        dynamodb.Table(\n            self,\n            \"Orders\",\n            partition_key=pk,\n        )");
    let ws = files(&[
        ("cdk.json", "{\"app\": \"python3 app.py\"}"),
        ("app.py", &text),
    ]);
    let done = check_fix(&ws, "DS003", |_| true);
    assert_eq!(
        done.inserted("app.py"),
        "point_in_time_recovery=True,\n            "
    );
    assert!(done.after["app.py"]
        .contains("            point_in_time_recovery=True,\n            partition_key=pk,\n"));
}

#[test]
fn database_gets_deletion_protection_inline_and_crlf_is_kept() {
    let text = app("        rds.DatabaseInstance(self, \"Db\", engine=engine, vpc=vpc)")
        .replace('\n', "\r\n");
    let ws = files(&[
        ("cdk.json", "{\"app\": \"python3 app.py\"}"),
        ("app.py", &text),
    ]);
    let done = check_fix(&ws, "DS003", |_| true);
    assert!(done.after["app.py"].contains(
        "rds.DatabaseInstance(self, \"Db\", deletion_protection=True, engine=engine, vpc=vpc)\r\n"
    ));
}

#[test]
fn no_fix_when_a_written_value_is_the_problem() {
    let text =
        app("        rds.DatabaseInstance(self, \"Db\", engine=engine, deletion_protection=False)");
    let ws = files(&[
        ("cdk.json", "{\"app\": \"python3 app.py\"}"),
        ("app.py", &text),
    ]);
    let audit = audit_files(&ws);
    let found = finding(&audit, "DS003", |_| true).expect("a DS003 finding");
    assert!(found.fix.is_none());
}
