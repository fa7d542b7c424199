// Score formatting for the status bar: one decimal, the band's icon, the unit's name for a deployable unit's
// score, n/a for categories that do not apply, and malformed `shipready/score` payloads ignored.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { bandId, formatScore, parseScoreSummary, statusBarText, statusBarTooltip } from "../../src/format";

test("scores print with one decimal, rounded half up", () => {
  assert.equal(formatScore(86), "86.0");
  assert.equal(formatScore(72.45), "72.5");
  assert.equal(formatScore(71.43), "71.4");
  assert.equal(formatScore(100), "100.0");
  assert.equal(formatScore(-0.01), "0.0");
});

test("a category without a score prints n/a", () => {
  assert.equal(formatScore(null), "n/a");
  assert.equal(formatScore(undefined), "n/a");
  assert.equal(formatScore(Number.NaN), "n/a");
});

test("bands come from the server's title, else from the score thresholds", () => {
  assert.equal(bandId("Production Ready", 10), "production-ready");
  assert.equal(bandId("Almost Ready", 99), "almost-ready");
  assert.equal(bandId("significant-work-required", 99), "significant-work-required");
  assert.equal(bandId("", 80), "production-ready");
  assert.equal(bandId(undefined, 79.99), "almost-ready");
  assert.equal(bandId("?", 59.99), "significant-work-required");
});

test("the status bar shows the band icon, the score and the band", () => {
  assert.equal(statusBarText({ overall: 72, band: "Almost Ready" }), "$(warning) Readiness 72.0 Almost Ready");
  assert.equal(statusBarText({ overall: 86, band: "Production Ready" }), "$(pass) Readiness 86.0 Production Ready");
  assert.equal(
    statusBarText({ overall: 41.25, band: "Significant Work Required" }),
    "$(error) Readiness 41.3 Significant Work Required",
  );
});

test("a deployable unit's score names the unit, as its code lens does", () => {
  const api = { overall: 18.75, band: "Significant Work Required", unit: "api" };
  assert.equal(statusBarText(api), "$(error) Readiness 18.8 Significant Work Required · api");
  assert.equal(statusBarText({ ...api, unit: "tools/reportgen", overall: 66.67, band: "Almost Ready" }), "$(warning) Readiness 66.7 Almost Ready · tools/reportgen");
  assert.match(statusBarTooltip({ ...api, categories: [] }), /^shipready: unit api, 18\.8\/100, Significant Work Required/);
  // A folder's score (no unit) reads as it always did.
  assert.equal(statusBarText({ overall: 36.41, band: "Significant Work Required" }), "$(error) Readiness 36.4 Significant Work Required");
});

test("the tooltip lists every category's score", () => {
  const tooltip = statusBarTooltip({
    overall: 86,
    band: "Production Ready",
    categories: [
      { id: "docker", title: "Docker Images and Containerization", score: 50 },
      { id: "cdk", title: "AWS CDK Infrastructure Code", score: null },
    ],
  });
  assert.match(tooltip, /^shipready: 86\.0\/100, Production Ready/);
  assert.match(tooltip, /Docker Images and Containerization: 50\.0/);
  assert.match(tooltip, /AWS CDK Infrastructure Code: n\/a/);
});

test("a score notification keeps the workspace folder it is for", () => {
  const summary = parseScoreSummary({ root: "file:///work/a", overall: 50, band: "Significant Work Required", categories: [] });
  assert.equal(summary?.root, "file:///work/a");
  assert.equal(parseScoreSummary({ root: 3, overall: 50, band: "x" })?.root, undefined);
});

test("a unit's score notification keeps the unit's name; a folder's has none", () => {
  const unit = parseScoreSummary({ root: "file:///w/api", unit: "api", overall: 18.75, band: "Significant Work Required", categories: [] });
  assert.equal(unit?.unit, "api");
  assert.equal(unit?.root, "file:///w/api");
  assert.equal(parseScoreSummary({ root: "file:///w", overall: 36.41, band: "x" })?.unit, undefined);
  assert.equal(parseScoreSummary({ root: "file:///w", unit: 3, overall: 36.41, band: "x" })?.unit, undefined);
  assert.equal(parseScoreSummary({ root: "file:///w", unit: "", overall: 36.41, band: "x" })?.unit, undefined);
});

test("score notifications are validated", () => {
  assert.equal(parseScoreSummary(null), undefined);
  assert.equal(parseScoreSummary({ overall: "86", band: "x" }), undefined);
  assert.deepEqual(
    parseScoreSummary({ overall: 86, band: "Production Ready", categories: [{ id: "docker", title: "Docker", score: 50 }, { id: "cdk" }, 3] }),
    {
      overall: 86,
      band: "Production Ready",
      categories: [
        { id: "docker", title: "Docker", score: 50 },
        { id: "cdk", title: "cdk", score: null },
      ],
    },
  );
});
