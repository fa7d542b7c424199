#!/usr/bin/env bash
# Installs code-server (real VS Code 1.100 served to a browser) from the npm registry into a cache folder, the
# way ../shared/recipes/editor-e2e.md records it works on these machines: its postinstall downloads ripgrep from
# GitHub, which is unreachable, so scripts are skipped and the steps they would do are done here with Debian's rg.
# Prints the path of the code-server launcher on its last line. Idempotent: a finished install is reused.
#
# Usage: install-code-server.sh [CACHE_DIR]   (default: ${XDG_CACHE_HOME:-$HOME/.cache}/shipready-vscode-e2e)
set -euo pipefail

VERSION=4.100.3
CACHE="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/shipready-vscode-e2e}"
PREFIX="$CACHE/code-server-$VERSION"
STAMP="$PREFIX/.installed"
LAUNCHER="$PREFIX/node_modules/code-server/out/node/entry.js"

log() { printf '[install-code-server] %s\n' "$*" >&2; }

if [ -f "$STAMP" ] && [ -f "$LAUNCHER" ]; then
  echo "$LAUNCHER"
  exit 0
fi

command -v rg >/dev/null || { log "ripgrep (rg) is required: apt-get install ripgrep"; exit 1; }

# A half-finished install from an interrupted run is removed rather than patched.
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
cd "$PREFIX"
echo '{"name":"shipready-code-server","private":true}' > package.json

# Native modules (argon2, node-pty, kerberos, ...) build against the system Node's headers.
export npm_config_nodedir=/usr npm_config_yes=true npm_config_unsafe_perm=true
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

log "npm install code-server@$VERSION (scripts skipped)"
timeout 600 npm install --ignore-scripts --no-save "code-server@$VERSION" >&2
timeout 300 npm rebuild argon2 >&2

VSCODE="$PREFIX/node_modules/code-server/lib/vscode"
log "installing VS Code's own dependencies"
(
  cd "$VSCODE"
  timeout 600 npm install --omit=dev --ignore-scripts >&2
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  timeout 600 npm rebuild >&2
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  (cd extensions && timeout 600 npm install --omit=dev >&2)
)

# code-server writes a default config and logs under XDG folders even for --version: keep them out of HOME.
scratch="$(mktemp -d)"
got="$(XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" timeout 60 node "$LAUNCHER" --version 2>/dev/null | grep -E '^[0-9]+\.' | head -n 1 || true)"
rm -rf "$scratch"
case "$got" in
  "$VERSION"*) log "code-server $got ready" ;;
  *) log "code-server --version printed '$got', expected $VERSION"; exit 1 ;;
esac
touch "$STAMP"
echo "$LAUNCHER"
