// Binary resolution: the setting wins, then the bundled binary, then PATH; a bad setting is an error,
// not a silent fallback; a missing binary lists every place that was tried.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { resolveServerBinary, ResolveInput, bundledBinaryPath, expandSetting } from "../../src/binary";

function input(existing: string[], overrides: Partial<ResolveInput> = {}): ResolveInput {
  const files = new Set(existing);
  return {
    configuredPath: "",
    extensionPath: "/ext",
    envPath: "/usr/local/bin:/usr/bin",
    platform: "linux",
    homeDir: "/home/dev",
    workspaceFolder: "/work/app",
    isExecutable: (file) => files.has(file),
    ...overrides,
  };
}

test("the shipready.path setting wins over the bundled binary and PATH", () => {
  const r = resolveServerBinary(
    input(["/opt/shipready", "/ext/server/shipready", "/usr/bin/shipready"], { configuredPath: "/opt/shipready" }),
  );
  assert.deepEqual(r, { kind: "found", path: "/opt/shipready", source: "setting" });
});

test("a setting that names no executable is an error and does not fall back", () => {
  const r = resolveServerBinary(input(["/ext/server/shipready"], { configuredPath: "/opt/typo/shipready" }));
  assert.equal(r.kind, "missing");
  assert.ok(r.kind === "missing" && r.message.includes("/opt/typo/shipready"));
  assert.ok(r.kind === "missing" && r.message.includes("shipready.path"));
});

test("the bundled binary is used when the setting is empty", () => {
  const r = resolveServerBinary(input(["/ext/server/shipready", "/usr/bin/shipready"], { configuredPath: "  " }));
  assert.deepEqual(r, { kind: "found", path: "/ext/server/shipready", source: "bundled" });
});

test("PATH is searched in order when nothing is bundled", () => {
  const r = resolveServerBinary(input(["/usr/bin/shipready", "/opt/bin/shipready"], { envPath: "/usr/local/bin::/usr/bin:/opt/bin" }));
  assert.deepEqual(r, { kind: "found", path: "/usr/bin/shipready", source: "PATH" });
});

test("an empty PATH entry does not pick a binary from the working directory", () => {
  const r = resolveServerBinary(input(["shipready"], { envPath: ":" }));
  assert.equal(r.kind, "missing");
});

test("a missing binary lists every place tried and says how to fix it", () => {
  const r = resolveServerBinary(input([]));
  assert.equal(r.kind, "missing");
  if (r.kind === "missing") {
    assert.deepEqual(r.tried, ["/ext/server/shipready", "/usr/local/bin/shipready", "/usr/bin/shipready"]);
    assert.match(r.message, /set shipready\.path/);
  }
});

test("Windows looks for shipready.exe with PATHEXT and ; separators", () => {
  assert.equal(bundledBinaryPath("C:\\ext", "win32"), "C:\\ext\\server\\shipready.exe");
  const r = resolveServerBinary(
    input(["D:\\tools\\shipready.exe"], {
      platform: "win32",
      extensionPath: "C:\\ext",
      envPath: "C:\\Windows;D:\\tools",
      envPathExt: ".COM;.EXE",
      homeDir: "C:\\Users\\dev",
      workspaceFolder: "C:\\work",
    }),
  );
  assert.deepEqual(r, { kind: "found", path: "D:\\tools\\shipready.exe", source: "PATH" });
});

test("the setting expands ~, ${workspaceFolder} and workspace-relative paths", () => {
  const ctx = { platform: "linux" as const, homeDir: "/home/dev", workspaceFolder: "/work/app" };
  assert.equal(expandSetting("~/bin/shipready", ctx), "/home/dev/bin/shipready");
  assert.equal(expandSetting("${workspaceFolder}/target/debug/shipready", ctx), "/work/app/target/debug/shipready");
  assert.equal(expandSetting("target/debug/shipready", ctx), "/work/app/target/debug/shipready");
  assert.equal(expandSetting("/abs/shipready", ctx), "/abs/shipready");
});
