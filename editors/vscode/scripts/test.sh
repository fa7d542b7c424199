#!/usr/bin/env bash
# The VS Code extension's whole test suite, from a fresh clone on a fresh machine: installs what it needs from
# the package registries (Debian packages only when missing, npm ci from the committed lock file, code-server
# into a cache folder), builds, packages the .vsix with the server binary bundled, then runs
#   1. the unit tests of the extension's own logic (node --test),
#   2. the protocol tier: the real `shipready lsp` over stdio through vscode-jsonrpc,
#   3. the end-to-end test in real VS Code (code-server + Playwright + Debian Chromium).
# Exits non-zero on the first failure. Screenshots and logs go to .test-artifacts/vscode/.
#
# Usage: editors/vscode/scripts/test.sh [--no-e2e] [--negative-control]
#   --no-e2e            stop after packaging (unit + protocol tiers only)
#   --negative-control  run the end-to-end test WITHOUT the extension installed and succeed only if it fails
# Environment: SHIPREADY_BIN (server binary; default target/debug/shipready, built by cargo first),
#   SHIPREADY_E2E_CACHE (where code-server is installed; default ${XDG_CACHE_HOME:-$HOME/.cache}/shipready-vscode-e2e).
set -euo pipefail

HERE="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${SHIPREADY_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipready-vscode-e2e}"
ARTIFACTS="$REPO/.test-artifacts/vscode"
E2E=1
NEGATIVE=0
for arg in "$@"; do
  case "$arg" in
    --no-e2e) E2E=0 ;;
    --negative-control) NEGATIVE=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

step() { printf '\n--> [vscode] %s\n' "$*"; }
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# --- system packages: Chromium drives VS Code; ripgrep and the -dev headers are what code-server needs. ----------
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
if [ "$E2E" = 1 ]; then
  for pkg in build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
else
  missing=()
fi
if [ "${#missing[@]}" -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 $SUDO apt-get -o DPkg::Lock::Timeout=120 update -qq
  timeout 900 $SUDO apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- npm dependencies, exactly as locked. ----------------------------------------------------------------------
cd "$HERE"
step "npm ci"
timeout 600 npm ci --no-audit --no-fund

# --- the server binary the protocol and end-to-end tiers drive, and the one bundled into the .vsix. -------------
# Without SHIPREADY_BIN the workspace's debug build is (re)built: a no-op when tests/all.sh just built it, and
# never a stale binary when this script runs on its own.
if [ -z "${SHIPREADY_BIN:-}" ]; then
  step "cargo build -p shipready"
  (cd "$REPO" && timeout 1500 cargo build -p shipready --locked)
fi
BIN="${SHIPREADY_BIN:-$REPO/target/debug/shipready}"
[ -x "$BIN" ] || { echo "no server binary at $BIN" >&2; exit 1; }
export SHIPREADY_BIN="$BIN"

step "typecheck and compile"
rm -rf out
timeout 120 npx tsc -p .

step "unit tests"
timeout 120 node --test --test-reporter=spec out/test/unit/*.test.js

step "protocol tests (real shipready lsp over stdio)"
timeout 180 node --test --test-reporter=spec out/test/protocol/*.test.js

step "package the .vsix (server binary bundled, stripped)"
rm -rf server dist
mkdir -p server
cp "$BIN" server/shipready
strip server/shipready 2>/dev/null || true
timeout 180 npm run --silent package
VSIX="$HERE/dist/shipready.vsix"
ls -l "$VSIX"

if [ "$E2E" = 0 ]; then
  exit 0
fi

step "install code-server (cached in $CACHE)"
CODE_SERVER="$(timeout 1200 "$HERE/scripts/install-code-server.sh" "$CACHE" | tail -n 1)"

export CODE_SERVER ARTIFACTS CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
if [ "$NEGATIVE" = 1 ]; then
  step "negative control: end-to-end WITHOUT the extension (must fail)"
  if VSIX="" ARTIFACTS="$ARTIFACTS-negative-control" E2E_TIMEOUT_MS=150000 timeout 200 node out/test/e2e/e2e.js; then
    echo "the end-to-end test passed without the extension installed: it checks nothing" >&2
    exit 1
  fi
  echo "negative control: the end-to-end test failed without the extension, as it must"
  exit 0
fi

step "end-to-end test in real VS Code (code-server + Chromium)"
VSIX="$VSIX" E2E_TIMEOUT_MS=360000 timeout 420 node out/test/e2e/e2e.js
echo "screenshots: $ARTIFACTS"
