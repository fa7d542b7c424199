// Workspace folder URIs from the server and from VS Code name the same folder despite spelling differences.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { rootKey } from "../../src/roots";

test("a trailing slash does not make another folder", () => {
  assert.equal(rootKey("file:///tmp/work/"), rootKey("file:///tmp/work"));
});

test("percent-encoding does not make another folder", () => {
  assert.equal(rootKey("file:///tmp/my%20work"), rootKey("file:///tmp/my work"));
  assert.equal(rootKey("file:///tmp/caf%C3%A9/"), "/tmp/café");
});

test("different folders stay different", () => {
  assert.notEqual(rootKey("file:///tmp/work"), rootKey("file:///tmp/work2"));
  assert.notEqual(rootKey("file:///tmp/work/a"), rootKey("file:///tmp/work"));
});
