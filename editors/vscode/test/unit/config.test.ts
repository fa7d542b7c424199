// Settings -> server options: valid values pass through, typos fall back to the server's defaults.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { serverOptions } from "../../src/config";

function from(settings: Record<string, unknown>) {
  return serverOptions((key) => settings[key]);
}

test("defaults are the standard profile and no severity overrides", () => {
  assert.deepEqual(from({}), { profile: "standard", severities: {} });
});

test("the seed profile and severity overrides are sent as set", () => {
  assert.deepEqual(from({ profile: "seed", severities: { HC001: "error", DK004: "off" } }), {
    profile: "seed",
    severities: { HC001: "error", DK004: "off" },
  });
});

test("unknown profiles and severities are dropped, info means information", () => {
  assert.deepEqual(from({ profile: "strict", severities: { HC001: "fatal", RB001: " Info ", GD002: 3 } }), {
    profile: "standard",
    severities: { RB001: "information" },
  });
  assert.deepEqual(from({ severities: ["error"] }).severities, {});
});
