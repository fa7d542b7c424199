// The protocol tier on a workspace of several deployable units (a copy of tests/fixtures/units-two: an API image in
// api/, a CDK app in billing/, a CLI image in tools/reportgen/, a dev container and an archived image set aside):
// the real `shipready lsp` announces the folder's score and one per unit, rooted at the unit's folder; the status
// bar's picking turns them into the score of the active file's unit; the report has the units and the set-aside
// files; and an edit in one unit moves that unit's score and asks VS Code to refresh the code lenses.
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  CodeLens,
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  InitializedNotification,
  InitializeRequest,
} from "vscode-languageserver-protocol/node";
import { copyFixture, fileUri, LspClient, serverBinary, UNITS_FIXTURE } from "./lspClient";
import { parseScoreSummary, ScoreSummary, statusBarText } from "../../src/format";
import { isReport, renderReportHtml, Report, reportUnits } from "../../src/report";
import { rootKey } from "../../src/roots";
import { ScoreBook, scoresOfReport } from "../../src/scores";
import { serverOptions } from "../../src/config";

interface CheckUnit {
  name: string;
  root: string;
  overall: number;
  band: string;
}

let client: LspClient;
let root: string;
let rootUri: string;
/** `shipready check --format json` on the same copy: what every number must agree with. */
let expected: { overall: number; band: string; units: CheckUnit[]; set_aside: { path: string }[] };

before(async () => {
  root = copyFixture(UNITS_FIXTURE);
  rootUri = fileUri(root);
  expected = JSON.parse(
    execFileSync(serverBinary(), ["check", root, "--format", "json", "--profile", "standard"], { encoding: "utf8", timeout: 30000 }),
  ) as typeof expected;
  assert.deepEqual(
    expected.units.map((u) => u.name),
    ["api", "billing", "tools/reportgen"],
    "the fixture's units, from shipready check",
  );
  client = new LspClient();
  await client.call(
    client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: "units-two" }],
      initializationOptions: serverOptions((key) => ({ profile: "standard", severities: {} })[key]),
      capabilities: {
        general: { positionEncodings: ["utf-16"] },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          // What vscode-languageclient's code lens feature declares (and handles) for the extension.
          codeLens: { refreshSupport: true },
        },
        textDocument: { synchronization: { didSave: true }, publishDiagnostics: {}, codeLens: {} },
      },
    }),
    15000,
  );
  await client.connection.sendNotification(InitializedNotification.type, {});
});

after(async () => {
  await client?.close();
  if (root !== undefined) {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

function scores(): ScoreSummary[] {
  return client.notifications
    .filter((n) => n.method === "shipready/score")
    .map((n) => parseScoreSummary(n.params))
    .filter((s): s is ScoreSummary => s !== undefined);
}

function unit(name: string): CheckUnit {
  const found = expected.units.find((u) => u.name === name);
  assert.ok(found !== undefined, `unit ${name} in the check report`);
  return found;
}

/** The scores as the extension keeps them, fed every notification received so far, in order. */
function book(): ScoreBook {
  const b = new ScoreBook();
  scores().forEach((s) => b.set(s));
  return b;
}

test("the server announces the folder's score and one per unit, rooted at the unit's folder", async () => {
  await client.waitFor("a score for the folder and each of the three units", () => {
    const got = scores();
    return got.some((s) => s.unit === undefined) && ["api", "billing", "tools/reportgen"].every((u) => got.some((s) => s.unit === u));
  });
  const got = scores();
  const folder = got.find((s) => s.unit === undefined);
  assert.equal(folder?.root, rootUri, "the folder's score names the folder by the client's URI");
  assert.equal(folder?.overall, expected.overall);
  for (const u of expected.units) {
    const s = got.find((n) => n.unit === u.name);
    assert.ok(s?.root !== undefined);
    assert.equal(rootKey(s.root), path.join(root, ...u.root.split("/")), `unit ${u.name}'s root is its folder`);
    assert.equal(s.overall, u.overall, `unit ${u.name}'s score`);
    assert.equal(s.band, u.band);
  }
});

test("the status bar shows the score of the active file's unit, and switches with the file", () => {
  const b = book();
  const text = (file: string) => {
    const s = b.pick(fileUri(path.join(root, file)), rootUri);
    assert.ok(s !== undefined, `a score for ${file}`);
    return statusBarText(s);
  };
  const api = unit("api");
  assert.equal(text("api/app/main.py"), statusBarText({ overall: api.overall, band: api.band, unit: "api" }));
  assert.match(text("api/app/main.py"), /Readiness \d+\.\d .* · api$/);
  assert.match(text("billing/app.py"), / · billing$/);
  assert.match(text("tools/reportgen/Dockerfile"), / · tools\/reportgen$/);
  assert.notEqual(text("api/Dockerfile"), text("billing/cdk.json"));
  // A file of no unit, and a set-aside file, show the folder's score.
  assert.equal(text("README.md"), statusBarText({ overall: expected.overall, band: expected.band }));
  assert.equal(text(".devcontainer/Dockerfile"), text("README.md"));
});

test("shipready.report has the units and the set-aside files, and the scores the status bar would take", async () => {
  const result = await client.call(
    client.connection.sendRequest(ExecuteCommandRequest.type, { command: "shipready.report", arguments: [rootUri] }),
  );
  assert.ok(isReport(result));
  const report = result as Report;
  assert.deepEqual(reportUnits(report)?.map((u) => [u.name, u.root, u.overall]), expected.units.map((u) => [u.name, u.root, u.overall]));
  assert.deepEqual(report.set_aside?.map((f) => f.path), expected.set_aside.map((f) => f.path));
  // The scores a report gives (used when no notification came) are the ones the server announces.
  const announced = book();
  for (const s of scoresOfReport(report, rootUri)) {
    assert.ok(s.root !== undefined && announced.has(s.root), `a notification for ${s.root}`);
    assert.equal(announced.pick(s.root + "/x", rootUri)?.overall, s.overall);
  }
  const html = renderReportHtml(report, { cspSource: "vscode-webview://test", nonce: "n" });
  for (const u of expected.units) {
    assert.ok(html.includes(`<section class="unit band-${u.band.toLowerCase().replace(/ /g, "-")}" data-unit="${u.name}">`), u.name);
  }
  assert.ok(html.includes('data-file=".devcontainer/Dockerfile"'));
  assert.ok(html.includes('data-file="archived/old-api/Dockerfile"'));
});

test("an edit in one unit moves that unit's score only, and the code lenses are refreshed", async () => {
  const main = path.join(root, "api/app/main.py");
  const mainUri = fileUri(main);
  const lensTitle = async (file: string) => {
    const lenses = (await client.call(
      client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: fileUri(path.join(root, file)) } }),
    )) as CodeLens[] | null;
    return lenses?.[0]?.command?.title ?? "";
  };
  assert.match(await lensTitle("api/Dockerfile"), /^Readiness \d+(\.\d+)?\/100 .*· unit api$/);
  const billingBefore = book().pick(fileUri(path.join(root, "billing/app.py")), rootUri);
  const scoresBefore = scores().length;
  const refreshesBefore = client.requests.filter((r) => r.method === "workspace/codeLens/refresh").length;
  const text = fs.readFileSync(main, "utf8");
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: mainUri, languageId: "python", version: 1, text },
  });
  const end = text.split("\n").length - 1;
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: mainUri, version: 2 },
    contentChanges: [
      {
        range: { start: { line: end, character: 0 }, end: { line: end, character: 0 } },
        text: '\n\n@app.get("/health")\nasync def health() -> dict[str, str]:\n    return {"status": "ok"}\n',
      },
    ],
  });
  const after = await client.waitFor("a higher score for unit api", () =>
    scores()
      .slice(scoresBefore)
      .find((s) => s.unit === "api" && s.overall > unit("api").overall),
  );
  await client.waitFor("workspace/codeLens/refresh", () =>
    client.requests.filter((r) => r.method === "workspace/codeLens/refresh").length > refreshesBefore,
  );
  // The lens of a file that was not edited follows the score.
  assert.match(await lensTitle("api/Dockerfile"), new RegExp(`^Readiness ${after.overall}`));
  const b = book();
  assert.equal(b.pick(mainUri, rootUri)?.overall, after.overall);
  assert.deepEqual(b.pick(fileUri(path.join(root, "billing/app.py")), rootUri), billingBefore, "billing's score did not move");
  assert.ok(!scores().slice(scoresBefore).some((s) => s.unit === "billing"));
});
