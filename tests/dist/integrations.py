#!/usr/bin/env python3
"""The integrations that install the shipready wheel, checked against the wheel itself (tests/wheel.sh runs this
with the tool venv's Python, which has PyYAML and pre-commit):

* .pre-commit-hooks.yaml: parses as YAML, pre-commit validates it as a hooks manifest, the hook's command and
  flags are ones the installed binary accepts, its `files` pattern selects the files shipready reads, and
  pre-commit runs the hook (as a `repo: local` hook with the wheel as its dependency) on a git repository made
  of the seed example: it passes at the default gate and fails at `--min-score 99`.
* action.yml: parses as YAML, is valid against the GitHub action metadata schema (check-jsonschema's vendored
  SchemaStore copy), its `run:` scripts pass shellcheck, it is a composite action, every `shipready` flag and `--format` value its scripts
  pass is one `shipready check --help` accepts, and its `run:` steps are run by a small runner that does what
  GitHub's does for these steps (`${{ }}` expressions in `env:`, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
  RUNNER_TEMP, `bash --noprofile --norc -eo pipefail`): the install step installs this wheel into a fresh
  venv; the check and gate steps audit the seed example (score 86.00 with the seed profile) and gate at 80
  (passes) and 90 (fails). The upload step (`uses: github/codeql-action/upload-sarif`) only runs on GitHub.

* README.md: the workflow example is valid against the GitHub workflow schema, the pre-commit examples pass
  `pre-commit validate-config`.

Flags that land with the output formats (issue 9, item 3: `--format sarif`, `--fail-on`) are reported as
SKIP while the binary does not accept them; until `--format sarif` lands, the check and gate steps run
against a stand-in (stand_in_sarif.py) that answers `--format sarif` with the binary's own score.

Usage: integrations.py --bin VENV/bin/shipready --wheel WHEEL --version V --tools TOOL_VENV/bin [--python PY]
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SEED = "tests/fixtures/seed-example"
# What lands separately (issue 9, item 3, the output formats): flags, and values of --format.
PENDING_FLAGS = {"--fail-on"}
PENDING_VALUES = {("--format", "sarif"), ("--format", "github")}

failures = []


def ok(msg):
    print(f"  ok    {msg}")


def skip(msg):
    print(f"  SKIP  {msg}")


def fail(msg):
    print(f"  FAIL  {msg}")
    failures.append(msg)


def check(cond, msg):
    (ok if cond else fail)(msg)
    return cond


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, **kw)


# --- what the binary accepts ---------------------------------------------------------------------------------


def subcommands(shipready):
    out = run([shipready, "--help"]).stdout
    section = out.split("Commands:", 1)[1].split("\n\n", 1)[0]
    return {line.split()[0] for line in section.splitlines() if line.strip()}


def accepted_flags(shipready, sub):
    """{flag: [possible values] or None} from `shipready SUB --help`."""
    out = run([shipready, sub, "--help"]).stdout
    flags, current, chunk = {}, None, []

    def close():
        if current is None:
            return
        text = "\n".join(chunk)
        values = None
        m = re.search(r"\[possible values: ([^\]]*)\]", text, re.S)
        if m:
            values = [v.strip() for v in m.group(1).split(",")]
        else:
            listed = re.findall(r"^\s+- ([A-Za-z0-9_-]+)", text, re.M)
            values = listed or None
        flags[current] = values

    for line in out.splitlines():
        m = re.match(r"\s+(?:-\w, )?(--[a-z][a-z0-9-]*)", line)
        if m:
            close()
            current, chunk = m.group(1), [line]
        elif current is not None:
            chunk.append(line)
    close()
    return flags


def check_argv(label, argv, accepted):
    """Every `--flag` in argv is accepted; a `--flag value` with possible values names one of them."""
    for i, word in enumerate(argv):
        if not word.startswith("--"):
            continue
        flag = word.split("=", 1)[0]
        if flag not in accepted:
            if flag in PENDING_FLAGS:
                skip(f"{label}: {flag} is not in `shipready check --help` yet (lands with the output formats)")
            else:
                fail(f"{label}: `shipready check` does not accept {flag}")
            continue
        values = accepted[flag]
        value = word.split("=", 1)[1] if "=" in word else (argv[i + 1] if i + 1 < len(argv) else None)
        if values and value is not None and not value.startswith("$"):
            if value in values:
                ok(f"{label}: {flag} {value}")
            elif (flag, value) in PENDING_VALUES:
                skip(f"{label}: {flag} {value} is not accepted yet (possible values: {', '.join(values)}); "
                     "it lands with the output formats")
            else:
                fail(f"{label}: {flag} {value} is not one of {values}")
        else:
            ok(f"{label}: {flag}")


# --- .pre-commit-hooks.yaml ----------------------------------------------------------------------------------


def pre_commit_hooks(shipready, wheel, pre_commit):
    print(".pre-commit-hooks.yaml")
    manifest = REPO / ".pre-commit-hooks.yaml"
    hooks = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    if not check(isinstance(hooks, list) and hooks, "parses as YAML: a list of hooks"):
        return
    r = run([pre_commit, "validate-manifest", str(manifest)])
    check(r.returncode == 0, f"pre-commit validate-manifest {r.stdout}{r.stderr}".strip())
    commands = subcommands(shipready)
    for hook in hooks:
        hid = hook["id"]
        argv = shlex.split(hook["entry"]) + [str(a) for a in hook.get("args", [])]
        check(argv[0] == "shipready", f"{hid}: runs the shipready binary")
        check(argv[1] in commands, f"{hid}: `shipready {argv[1]}` is a command")
        check_argv(hid, argv, accepted_flags(shipready, argv[1]))
        check(hook.get("language") == "python", f"{hid}: language python (pre-commit pip-installs the wheel)")
        check(hook.get("pass_filenames") is False, f"{hid}: pass_filenames false (audits the whole workspace)")
        files = re.compile(hook.get("files", ""))
        selected = ["Dockerfile", "api/Dockerfile.prod", "docker/app.dockerfile", "compose.yaml",
                    "deploy/docker-compose.prod.yml", ".github/workflows/deploy.yml", "infra/cdk.json",
                    "infra/app.py", "DEPLOYMENT.md", "docs/guide.mdx", "scripts/rollback.sh", "Procfile",
                    "requirements-prod.txt", "pyproject.toml", "shipready.toml", ".shipready.toml"]
        ignored = ["src/lib.rs", "package-lock.json", "Cargo.toml", "config.yaml", "assets/logo.png"]
        check(all(files.search(p) for p in selected) and not any(files.search(p) for p in ignored),
              f"{hid}: `files` selects {', '.join(p for p in selected if not files.search(p)) or 'what shipready reads'}"
              f" and leaves {', '.join(p for p in ignored if files.search(p)) or 'the rest'}")
        run_hook(hook, wheel, pre_commit)


def run_hook(hook, wheel, pre_commit):
    """pre-commit installs the wheel into its own virtualenv and runs the hook on a copy of the seed example."""
    with tempfile.TemporaryDirectory(prefix="shipready-pre-commit-") as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(REPO / SEED, repo)
        local = {k: v for k, v in hook.items() if k not in ("minimum_pre_commit_version",)}
        local["additional_dependencies"] = [str(wheel)]
        strict = dict(local, id=hook["id"] + "-strict", args=["--min-score", "99"])
        config = {"repos": [{"repo": "local", "hooks": [local, strict]}]}
        (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        env = dict(os.environ, PRE_COMMIT_HOME=str(Path(tmp) / "home"), PRE_COMMIT_COLOR="never",
                   GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "init.defaultBranch=main"]
        for argv in (git + ["init", "-q"], git + ["add", "-A"], git + ["commit", "-qm", "seed"]):
            r = run(argv, cwd=repo, env=env)
            if r.returncode != 0:
                fail(f"{' '.join(argv)}: {r.stderr}")
                return
        r = run([pre_commit, "run", hook["id"], "--all-files"], cwd=repo, env=env)
        check(r.returncode == 0 and "Passed" in r.stdout,
              f"pre-commit run {hook['id']}: installs the wheel, runs `{hook['entry']}"
              f" {' '.join(map(str, hook.get('args', [])))}` on the seed example and passes"
              + ("" if r.returncode == 0 else f"\n{r.stdout}{r.stderr}"))
        r = run([pre_commit, "run", strict["id"], "--all-files"], cwd=repo, env=env)
        check(r.returncode == 1 and "Failed" in r.stdout and "below --min-score" in r.stdout,
              f"pre-commit run with args [--min-score, 99]: fails the commit and says why"
              + ("" if r.returncode == 1 else f"\n{r.stdout}{r.stderr}"))


# --- action.yml ----------------------------------------------------------------------------------------------


def action(shipready, wheel, version, python, tools):
    print("action.yml")
    spec = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    if not check(isinstance(spec, dict) and spec.get("runs", {}).get("using") == "composite",
                 "parses as YAML: a composite action"):
        return
    r = run([str(tools / "check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(REPO / "action.yml")])
    check(r.returncode == 0, "valid against the GitHub action metadata schema" + ("" if r.returncode == 0 else f"\n{r.stdout}{r.stderr}"))
    with tempfile.TemporaryDirectory(prefix="shipready-shellcheck-") as tmp:
        for i, s in enumerate(spec["runs"]["steps"]):
            if "run" not in s:
                continue
            script = Path(tmp) / f"step{i}.sh"
            script.write_text(s["run"], encoding="utf-8")
            r = run([str(tools / "shellcheck"), "--shell=bash", str(script)])
            check(r.returncode == 0, f"step '{s['name']}': shellcheck" + ("" if r.returncode == 0 else f"\n{r.stdout}"))
    check(spec.get("name") and spec.get("description"), "has a name and a description")
    steps = spec["runs"]["steps"]
    check(all("shell" in s for s in steps if "run" in s), "every run step names its shell")
    uses = [s["uses"] for s in steps if "uses" in s]
    check(any(u.startswith("github/codeql-action/upload-sarif@") for u in uses),
          f"uploads with github/codeql-action/upload-sarif ({', '.join(uses)})")
    for s in steps:
        for value in (s.get("env") or {}).values():
            for expr in re.findall(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)", str(value)):
                if expr not in spec["inputs"]:
                    fail(f"step '{s['name']}' uses the undeclared input {expr}")
        if "run" in s:
            check("${{" not in s["run"], f"step '{s['name']}': no expressions inside run: (inputs come through env)")

    # The shipready arguments the action builds: `args=(...)` and `args+=(...)` lines.
    accepted = accepted_flags(shipready, "check")
    argv = []
    for s in steps:
        for m in re.finditer(r"args\+?=\(([^)]*)\)", s.get("run", "")):
            argv += shlex.split(m.group(1))
    check(argv[:1] == ["check"], f"runs `shipready check` ({' '.join(argv)})")
    check_argv("action", argv, accepted)

    # The default version: the sed line reads the Cargo workspace's version.
    install = next(s for s in steps if s.get("id") == "install")
    sed = next(line.strip() for line in install["run"].splitlines() if "sed -n" in line)
    r = run(["bash", "-c", f"{sed}; echo \"$version\""], env=dict(os.environ, GITHUB_ACTION_PATH=str(REPO)))
    check(r.stdout.strip() == version, f"default version input resolves to the workspace version ({r.stdout.strip()!r})")

    with tempfile.TemporaryDirectory(prefix="shipready-action-") as tmp:
        runner = Runner(spec, Path(tmp), python)
        # Install this wheel (the `version` input takes any pip requirement).
        results = runner.run({"version": str(wheel), "path": SEED, "profile": "seed", "min-score": "80"},
                             only={"install"})
        out = runner.outputs.get("install", {})
        check(results.get("install") == 0 and out.get("version") == version and Path(out.get("bin", "")).is_file(),
              f"install step: pip-installs the wheel into a fresh venv, shipready {out.get('version')}"
              + ("" if results.get("install") == 0 else "\n" + runner.logs.get("install", "")))
        bin_ = out.get("bin")
        if not bin_:
            return
        if "sarif" in (accepted.get("--format") or []):
            stand_in = None
        else:
            stand_in = str(Path(__file__).with_name("stand_in_sarif.py"))
            skip("check and gate steps run against stand_in_sarif.py until `--format sarif` lands "
                 "(the stand-in answers with the binary's own score in the SARIF run properties)")
        for min_score, expect in (("80", 0), ("90", 1)):
            runner = Runner(spec, Path(tmp) / f"min{min_score}", python)
            inputs = {"version": str(wheel), "path": SEED, "profile": "seed", "min-score": min_score}
            runner.outputs["install"] = {"bin": bin_, "python": out["python"], "version": out["version"]}
            if stand_in:
                runner.outputs["install"]["bin"] = stand_in
                runner.extra_env = {"SHIPREADY_REAL": bin_}
            results = runner.run(inputs, skip={"install"})
            chk = runner.outputs.get("check", {})
            sarif = Path(chk.get("sarif-file", "/nonexistent"))
            check(results.get("check") == 0 and chk.get("score") == "86.00" and chk.get("band") == "Production Ready",
                  f"min-score {min_score}: check step scores the seed example 86.00 (Production Ready)"
                  + ("" if results.get("check") == 0 else "\n" + runner.logs.get("check", "")))
            if sarif.is_file():
                log = json.loads(sarif.read_text(encoding="utf-8"))
                check(log.get("version") == "2.1.0", f"min-score {min_score}: writes a SARIF 2.1.0 log to {sarif.name}")
            else:
                fail(f"min-score {min_score}: no SARIF log at {sarif}")
            check("86.00/100" in runner.summary(), f"min-score {min_score}: writes the score to the step summary")
            gate = results.get("Readiness gate")
            glog = runner.logs.get("Readiness gate", "")
            if expect == 0:
                check(gate == 0, "min-score 80: the gate passes" + ("" if gate == 0 else "\n" + glog))
            else:
                check(gate == 1 and "::error title=shipready gate::overall score 86.00 is below --min-score 90" in glog,
                      "min-score 90: the gate fails the job with an error annotation"
                      + (f" ({glog.strip()})" if gate == 1 else "\n" + glog))


def readme_examples(tools):
    print("README.md examples")
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    workflows = [b for b in blocks if b.startswith("# .github/workflows/")]
    configs = [b for b in blocks if re.search(r"^repos:", b, re.M)]
    check(workflows and configs, f"{len(workflows)} workflow example(s), {len(configs)} pre-commit example(s)")
    with tempfile.TemporaryDirectory(prefix="shipready-readme-") as tmp:
        for i, b in enumerate(workflows):
            f = Path(tmp) / f"workflow{i}.yml"
            f.write_text(b, encoding="utf-8")
            r = run([str(tools / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(f)])
            check(r.returncode == 0, "workflow example: valid against the GitHub workflow schema"
                  + ("" if r.returncode == 0 else f"\n{r.stdout}{r.stderr}"))
            uses = [s.get("uses", "") for j in yaml.safe_load(b)["jobs"].values() for s in j["steps"]]
            check(any(u.startswith("shipready/shipready@") for u in uses), "workflow example: uses shipready/shipready")
        for i, b in enumerate(configs):
            f = Path(tmp) / f"pre-commit-config{i}.yaml"
            f.write_text(b, encoding="utf-8")
            r = run([str(tools / "pre-commit"), "validate-config", str(f)])
            check(r.returncode == 0, f"pre-commit example {i + 1}: pre-commit validate-config"
                  + ("" if r.returncode == 0 else f"\n{r.stdout}{r.stderr}"))


class Runner:
    """Runs a composite action's `run:` steps as GitHub's runner does (for what this action uses)."""

    def __init__(self, spec, tmp, python):
        self.spec, self.tmp, self.python = spec, tmp, python
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.outputs, self.logs, self.extra_env = {}, {}, {}
        self.summary_file = self.tmp / "summary.md"

    def summary(self):
        return self.summary_file.read_text(encoding="utf-8") if self.summary_file.exists() else ""

    def expand(self, value, inputs):
        def sub(m):
            expr = m.group(1).strip()
            if expr.startswith("inputs."):
                name = expr[len("inputs."):]
                return str(inputs.get(name, self.spec["inputs"][name].get("default", "")))
            m2 = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
            if m2:
                return self.outputs.get(m2.group(1), {}).get(m2.group(2), "")
            raise ValueError(f"the test runner does not know the expression {expr!r}")

        return re.sub(r"\$\{\{(.*?)\}\}", sub, str(value))

    def run(self, inputs, only=None, skip=()):
        results = {}
        for step in self.spec["runs"]["steps"]:
            key = step.get("id") or step.get("name")
            if (only is not None and key not in only) or key in skip:
                continue
            if "uses" in step:
                with_ = {k: self.expand(v, inputs) for k, v in (step.get("with") or {}).items()}
                print(f"  (not run here: {step['uses']} with {with_})")
                continue
            if "if" in step:
                raise ValueError("the test runner does not evaluate `if:` on run steps")
            output = self.tmp / f"output-{len(results)}"
            output.touch()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_"))}
            env.update(GITHUB_ACTION_PATH=str(REPO), GITHUB_OUTPUT=str(output),
                       GITHUB_STEP_SUMMARY=str(self.summary_file), RUNNER_TEMP=str(self.tmp))
            env.update({k: self.expand(v, inputs) for k, v in (step.get("env") or {}).items()})
            if "INPUT_PYTHON" in env and not inputs.get("python"):
                env["INPUT_PYTHON"] = self.python
            env.update(self.extra_env)
            script = self.tmp / f"step-{len(results)}.sh"
            script.write_text(step["run"], encoding="utf-8")
            r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=REPO,
                               env=env, capture_output=True, text=True)
            results[key] = r.returncode
            self.logs[key] = r.stdout + r.stderr
            self.outputs[key] = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
            if r.returncode != 0:
                break
        return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="the shipready the wheel installed")
    ap.add_argument("--wheel", required=True)
    ap.add_argument("--version", required=True, help="the workspace version")
    ap.add_argument("--python", default="python3", help="the interpreter the action's venv is made with")
    ap.add_argument("--tools", required=True, help="the bin folder of the venv with pre-commit, check-jsonschema, shellcheck")
    args = ap.parse_args()
    tools = Path(args.tools)
    pre_commit_hooks(args.bin, Path(args.wheel).resolve(), str(tools / "pre-commit"))
    action(args.bin, Path(args.wheel).resolve(), args.version, args.python, tools)
    readme_examples(tools)
    if failures:
        print(f"\n{len(failures)} integration check(s) failed")
        sys.exit(1)


if __name__ == "__main__":
    main()
