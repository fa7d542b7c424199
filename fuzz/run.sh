#!/usr/bin/env bash
# Run every fuzz target for a bounded time and print the executions of each. Usage: fuzz/run.sh [seconds]
# (default 60 per target). Installs cargo-fuzz from crates.io when missing; the stable toolchain builds the
# targets with RUSTC_BOOTSTRAP=1; the Dockerfile and YAML fronts get a dictionary of their keywords (fuzz/dicts). tests/all.sh runs it for 5 s per target. Crashes land in
# fuzz/artifacts/<target>/: turn each into a regression test.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cargo fuzz build --sanitizer none -O
status=0
for target in $(cargo fuzz list); do
  mkdir -p "corpus/$target"
  log="$(mktemp)"
  dict=()
  case "$target" in
    parse_dockerfile) dict=(-dict=dicts/dockerfile.dict) ;;
    parse_compose | parse_workflow) dict=(-dict=dicts/yaml.dict) ;;
    parse_config) dict=(-dict=dicts/toml.dict) ;;
  esac
  if cargo fuzz run --sanitizer none -O "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=4096 "${dict[@]}" >"$log" 2>&1; then
    result="ok"
  else
    result="CRASH (see fuzz/artifacts/$target/)"
    status=1
  fi
  runs="$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo '?')"
  printf '%-20s %12s executions in %ss  %s\n' "$target" "$runs" "$seconds" "$result"
  [ "$result" = ok ] || tail -30 "$log"
  rm -f "$log"
done
exit "$status"
