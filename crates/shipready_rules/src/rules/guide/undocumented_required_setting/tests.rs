//! GD007 on small workspaces: what makes a setting required, and each place that documents or sets one.

use super::*;

#[test]
fn reads_writes_and_defaults() {
    assert_eq!(kind("os.environ[\"X\"]", ")\n"), Read::Required);
    assert_eq!(kind("os.environ['X']", " = '1'\n"), Read::Write);
    assert_eq!(kind("os.environ['X']", " == '1'\n"), Read::Required);
    assert_eq!(kind("os.getenv('X')", ""), Read::Optional);
    assert_eq!(kind("os.environ.get('X', 'd')", ""), Read::Optional);
    assert_eq!(kind("SECRET_KEY: str", ""), Read::Required);
    assert_eq!(kind("DEBUG: bool = False", ""), Read::Optional);
    assert_eq!(kind("SENTRY_DSN: Optional[str]", ""), Read::Optional);
    assert_eq!(kind("SENTRY_DSN: str | None", ""), Read::Optional);
}

#[test]
fn names_are_whole_words() {
    let names = crate::rules::guide::names_word;
    assert!(names("Set `TABLE_NAME` first", "TABLE_NAME"));
    assert!(names("export TABLE_NAME=x", "TABLE_NAME"));
    assert!(!names("MY_TABLE_NAME_2", "TABLE_NAME"));
}

fn gd007(files: &[(&str, &str)]) -> (crate::Status, Vec<String>) {
    let a = crate::audit(
        &crate::Workspace::from_texts(files.iter().copied()),
        crate::Profile::Standard,
    );
    let status = a
        .checks
        .iter()
        .find(|c| c.code == "GD007")
        .map(|c| c.status)
        .unwrap_or(crate::Status::NotApplicable);
    let places = a
        .findings
        .iter()
        .filter(|f| f.code == "GD007")
        .map(|f| {
            let text = files
                .iter()
                .find(|(p, _)| Some(*p) == f.file.as_deref())
                .map(|(_, t)| *t)
                .unwrap_or("");
            f.range
                .and_then(|r| text.get(r.start..r.end))
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    (status, places)
}

const SETTINGS: &str = "from pydantic_settings import BaseSettings\nfrom fastapi import FastAPI\n\n\
class Settings(BaseSettings):\n    DATABASE_URL: str\n    SENTRY_DSN: str | None = None\n    DEBUG: bool = False\n\n\
settings = Settings()\napp = FastAPI()\n";
const IMAGE: &str = "FROM python:3.12-slim\nCOPY . /srv\nCMD [\"uvicorn\", \"main:app\"]\n";

#[test]
fn a_settings_field_without_default_is_set_by_compose_or_reported() {
    let (status, places) = gd007(&[("main.py", SETTINGS), ("Dockerfile", IMAGE)]);
    assert_eq!(status, crate::Status::Fail);
    assert_eq!(places, vec!["DATABASE_URL: str"]);
    let compose = "services:\n  api:\n    build: .\n    environment:\n      DATABASE_URL: postgresql://db/app\n";
    let (status, _) = gd007(&[
        ("main.py", SETTINGS),
        ("Dockerfile", IMAGE),
        ("compose.yaml", compose),
    ]);
    assert_eq!(status, crate::Status::Pass);
    // An env_file may set anything: not judged.
    let env_file = "services:\n  api:\n    build: .\n    env_file: .env\n";
    let (status, places) = gd007(&[
        ("main.py", SETTINGS),
        ("Dockerfile", IMAGE),
        ("compose.yaml", env_file),
    ]);
    assert_eq!(status, crate::Status::NotApplicable);
    assert!(places.is_empty());
    // So may a `.env` the settings class loads itself.
    let dotenv = SETTINGS.replace(
        "    DEBUG: bool = False\n",
        "    DEBUG: bool = False\n    model_config = SettingsConfigDict(env_file='.env')\n",
    );
    let (status, _) = gd007(&[("main.py", &dotenv), ("Dockerfile", IMAGE)]);
    assert_eq!(status, crate::Status::NotApplicable);
}

#[test]
fn lambda_settings_set_by_the_cdk_stack_and_platform_names_pass() {
    let handler =
        "import os\n\nTABLE = os.environ['TABLE_NAME']\nREGION = os.environ['AWS_REGION']\n\n\
def handler(event, context):\n    return TABLE\n";
    let stack = "import aws_cdk as cdk\nfrom aws_cdk import Stack, aws_lambda as _lambda\n\n\
class Api(Stack):\n    def build(self, table):\n        fn = _lambda.Function(self, 'F', handler='index.handler')\n\
    fn.add_environment('TABLE_NAME', table.table_name)\n\n\
app = cdk.App()\nApi(app, 'Api')\napp.synth()\n";
    let (status, places) = gd007(&[("lambda/index.py", handler), ("app.py", stack)]);
    assert_eq!(status, crate::Status::Pass, "{places:?}");
    let unset = stack.replace("fn.add_environment('TABLE_NAME', table.table_name)\n", "");
    let (status, places) = gd007(&[("lambda/index.py", handler), ("app.py", &unset)]);
    assert_eq!(status, crate::Status::Fail);
    assert_eq!(places, vec!["os.environ['TABLE_NAME']"]);
}
