// Which score the status bar shows: the score of the deepest folder holding the active file (its deployable
// unit's), else its workspace folder's, else any folder's; and the scores a report holds when no notification
// came.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ScoreSummary } from "../../src/format";
import { Report } from "../../src/report";
import { contains, ScoreBook, scoresOfReport, unitRoot } from "../../src/scores";

function score(root: string | undefined, overall: number, unit?: string): ScoreSummary {
  const summary: ScoreSummary = { overall, band: "Significant Work Required", categories: [] };
  if (root !== undefined) {
    summary.root = root;
  }
  if (unit !== undefined) {
    summary.unit = unit;
  }
  return summary;
}

/** units-two as the server announces it: the folder's mean, then one score per unit. */
function unitsTwo(): ScoreBook {
  const book = new ScoreBook();
  book.set(score("file:///w", 36.41));
  book.set(score("file:///w/api", 18.75, "api"));
  book.set(score("file:///w/billing", 23.81, "billing"));
  book.set(score("file:///w/tools/reportgen", 66.67, "tools/reportgen"));
  return book;
}

test("a file shows the score of its unit: the deepest folder holding it", () => {
  const book = unitsTwo();
  assert.equal(book.pick("file:///w/api/app/main.py", "file:///w")?.unit, "api");
  assert.equal(book.pick("file:///w/billing/app.py", "file:///w")?.unit, "billing");
  assert.equal(book.pick("file:///w/tools/reportgen/Dockerfile", "file:///w")?.unit, "tools/reportgen");
  // Switching the active file switches the score.
  assert.notEqual(book.pick("file:///w/api/Dockerfile", "file:///w")?.overall, book.pick("file:///w/billing/cdk.json", "file:///w")?.overall);
});

test("a file of no unit shows its workspace folder's score, the mean", () => {
  const book = unitsTwo();
  assert.deepEqual(book.pick("file:///w/README.md", "file:///w"), score("file:///w", 36.41));
  // A sibling folder whose name starts like a unit's is not in it.
  assert.equal(book.pick("file:///w/apiary/x.py", "file:///w")?.unit, undefined);
  assert.equal(book.pick("file:///w/tools/other.sh", "file:///w")?.unit, undefined);
});

test("without an active file, the folder's score; outside every folder, a folder's rather than a unit's", () => {
  const book = unitsTwo();
  assert.equal(book.pick(undefined, "file:///w")?.overall, 36.41);
  assert.equal(book.pick("file:///elsewhere/x.py", undefined)?.overall, 36.41);
  const onlyUnits = new ScoreBook();
  onlyUnits.set(score("file:///w/api", 18.75, "api"));
  assert.equal(onlyUnits.pick(undefined, undefined)?.unit, "api", "any score rather than none");
  assert.equal(new ScoreBook().pick("file:///w/a.py", "file:///w"), undefined);
});

test("a single-unit workspace keeps showing its folder's score", () => {
  const book = new ScoreBook();
  book.set(score("file:///w", 18.75));
  assert.equal(book.pick("file:///w/app/main.py", "file:///w")?.overall, 18.75);
  // A score the server sent without a root stands for the workspace.
  const unnamed = new ScoreBook();
  unnamed.set(score(undefined, 50));
  assert.equal(unnamed.pick("file:///w/app/main.py", "file:///w")?.overall, 50);
});

test("the newest score of a root replaces the older one, whatever the URI's spelling", () => {
  const book = unitsTwo();
  book.set(score("file:///w/api/", 25, "api"));
  assert.equal(book.pick("file:///w/api/app/main.py", "file:///w/")?.overall, 25);
  assert.equal(book.size, 4);
  assert.ok(book.has("file:///w/billing/"));
  assert.ok(!book.has("file:///w/tools"));
  book.clear();
  assert.equal(book.size, 0);
});

test("contains: a folder holds itself and what lies under it", () => {
  assert.ok(contains("/w/api", "/w/api"));
  assert.ok(contains("/w/api", "/w/api/app/main.py"));
  assert.ok(contains("c:\\w\\api", "c:\\w\\api\\main.py"));
  assert.ok(!contains("/w/api", "/w/apiary/main.py"));
  assert.ok(!contains("/w/api", "/w"));
});

function report(): Report {
  const unit = (name: string, root: string, overall: number) => ({
    name,
    root,
    kinds: ["image"],
    overall,
    band: "Significant Work Required",
    categories: [{ id: "docker", title: "Docker", score: 50 }],
    findings: [],
  });
  return {
    overall: 36.41,
    band: "Significant Work Required",
    categories: [],
    findings: [],
    units: [unit("api", "api", 18.75), unit("billing", "billing", 23.81), unit("tools/reportgen", "tools/reportgen", 66.67)],
  };
}

test("a report gives the folder's score and each unit's, rooted at the unit's folder", () => {
  const scores = scoresOfReport(report(), "file:///w");
  assert.deepEqual(
    scores.map((s) => [s.root, s.unit, s.overall]),
    [
      ["file:///w", undefined, 36.41],
      ["file:///w/api", "api", 18.75],
      ["file:///w/billing", "billing", 23.81],
      ["file:///w/tools/reportgen", "tools/reportgen", 66.67],
    ],
  );
  assert.deepEqual(scores[1]?.categories, [{ id: "docker", title: "Docker", score: 50 }]);
  const book = new ScoreBook();
  scores.forEach((s) => book.set(s));
  assert.equal(book.pick("file:///w/tools/reportgen/Dockerfile", "file:///w")?.unit, "tools/reportgen");
});

test("a report of one unit gives the folder's score alone", () => {
  const single = report();
  single.units = [{ ...single.units![0]!, root: "", name: "." }];
  assert.deepEqual(scoresOfReport(single, "file:///w").map((s) => s.root), ["file:///w"]);
  delete single.units;
  assert.deepEqual(scoresOfReport(single, "file:///w").map((s) => s.root), ["file:///w"]);
});

test("unit folders are joined to the workspace folder's URI, percent-encoded", () => {
  assert.equal(unitRoot("file:///w/", "tools/reportgen"), "file:///w/tools/reportgen");
  assert.equal(unitRoot("file:///w", "my api"), "file:///w/my%20api");
});
