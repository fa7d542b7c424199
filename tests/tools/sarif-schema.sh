#!/usr/bin/env bash
# Prints the path of the official SARIF 2.1.0 JSON schema (OASIS, as Microsoft's SARIF SDK ships it in the npm
# package @microsoft/jest-sarif), fetching the package into a cache on first use. Nothing downloaded is
# committed: the cache is target/test-cache (or $SHIPREADY_TEST_CACHE).
set -euo pipefail
cd "$(dirname "$0")/../.."
package="@microsoft/jest-sarif@1.0.0-beta.0"
inner="package/lib/schemas/sarif-2.1.0-rtm.5.json"
cache="${SHIPREADY_TEST_CACHE:-$PWD/target/test-cache}/sarif-schema"
schema="$cache/sarif-schema-2.1.0.json"
if [ ! -s "$schema" ]; then
  mkdir -p "$cache"
  work="$(mktemp -d "$cache/fetch.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  # `npm pack` fetches the package's tarball only (checked against the registry's integrity hash), no
  # dependencies and no install scripts.
  tarball="$(cd "$work" && npm pack --silent "$package" | tail -n 1)"
  tar -xzf "$work/$tarball" -C "$work" "$inner"
  mv "$work/$inner" "$schema.tmp" && mv "$schema.tmp" "$schema"
fi
printf '%s\n' "$schema"
