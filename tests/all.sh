#!/usr/bin/env bash
# The whole test suite, from a fresh clone: Rust (fmt, clippy, unit + end-to-end tests of the binary over
# CLI and LSP), then the PyPI wheel (built, installed in a fresh venv and run; the pre-commit hook and the
# GitHub Action that install it), then the Neovim and VS Code integrations in real editors. Installs what it
# needs from the package registries only. Usage: tests/all.sh [--rust-only]
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# strace watches the binary in the no-execution/no-network test (tests/tests/no_exec_no_network.rs).
if ! command -v strace >/dev/null; then
  step "apt-get install strace"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 $SUDO apt-get -o DPkg::Lock::Timeout=120 update -qq
  timeout 600 $SUDO apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends strace
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo build (the binary the end-to-end tests drive)"
cargo build -p shipready --locked

step "the official SARIF 2.1.0 schema for the SARIF output test (npm package, cached in target/test-cache)"
tests/tools/sarif-schema.sh

step "cargo test (unit + end-to-end)"
cargo test --workspace --locked

if [ "${1:-}" = "--rust-only" ]; then
  exit 0
fi

# A short coverage-guided run of every fuzz target (cargo-fuzz from crates.io, libFuzzer): minutes in all,
# installs included. Longer runs by hand: fuzz/run.sh 600 (docs/robustness.md records them).
step "fuzz: every parser front and the Python document model, ${SHIPREADY_FUZZ_SECONDS:-5} s each"
fuzz/run.sh "${SHIPREADY_FUZZ_SECONDS:-5}"

step "PyPI wheel: maturin build, installed into a fresh venv and run; pre-commit hook and GitHub Action"
tests/wheel.sh

if [ -x editors/nvim/scripts/test.sh ]; then
  step "Neovim plugin in real headless Neovim"
  editors/nvim/scripts/test.sh
fi

if [ -x editors/vscode/scripts/test.sh ]; then
  step "VS Code extension: unit, protocol and end-to-end in real VS Code (code-server)"
  editors/vscode/scripts/test.sh
fi

step "all tests passed"
