// The protocol tier: the real `shipready lsp` over stdio, spoken to the way VS Code's client speaks, checking
// the contract the extension relies on: diagnostics from source "shipready" with rule codes, hovers with the
// points, a quick fix whose edit clears the gap, the `shipready.report` result the report page renders and the
// `shipready/score` notification the status bar shows.
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  CodeAction,
  CodeActionRequest,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  MarkupContent,
  TextEdit,
  WorkspaceEdit,
} from "vscode-languageserver-protocol/node";
import { copyFixture, fileUri, LspClient } from "./lspClient";
import { isReport, renderReportHtml } from "../../src/report";
import { parseScoreSummary } from "../../src/format";
import { serverOptions } from "../../src/config";

let client: LspClient;
let root: string;
let mainUri: string;
let mainText: string;

before(async () => {
  root = copyFixture();
  mainUri = fileUri(path.join(root, "app/main.py"));
  mainText = fs.readFileSync(path.join(root, "app/main.py"), "utf8");
  client = new LspClient();
  const result = await client.call(
    client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: fileUri(root),
      workspaceFolders: [{ uri: fileUri(root), name: "workspace" }],
      initializationOptions: serverOptions((key) => ({ profile: "standard", severities: {} })[key]),
      capabilities: {
        general: { positionEncodings: ["utf-16"] },
        window: { workDoneProgress: true },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          applyEdit: true,
          workspaceEdit: { documentChanges: true, resourceOperations: ["create"] },
        },
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: true },
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
          hover: { contentFormat: ["markdown", "plaintext"] },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source", "source.fixAll"] } },
            dataSupport: true,
            isPreferredSupport: true,
          },
          codeLens: {},
        },
      },
    }),
    15000,
  );
  assert.ok(result.capabilities.hoverProvider, "the server offers hovers");
  await client.connection.sendNotification(InitializedNotification.type, {});
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: mainUri, languageId: "python", version: 1, text: mainText },
  });
});

after(async () => {
  await client?.close();
  if (root !== undefined) {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

function diagnostic(uri: string, code: string): Diagnostic | undefined {
  return (client.diagnostics.get(uri) ?? []).find((d) => d.code === code && d.source === "shipready");
}

test("diagnostics arrive from source shipready with rule codes", async () => {
  const hc001 = await client.waitFor("HC001 on app/main.py", () => diagnostic(mainUri, "HC001"));
  // `app = FastAPI(...)` is line 3 of the fixture (0-based 2).
  assert.equal(hc001.range.start.line, 2);
  const dockerfile = fileUri(path.join(root, "Dockerfile"));
  await client.waitFor("a diagnostic on the Dockerfile, which is not open", () => (client.diagnostics.get(dockerfile) ?? []).length > 0);
});

test("the open file's diagnostics reflect the whole workspace once the scan is done", async () => {
  // The fixture has a Dockerfile: a DK001 ("no Dockerfile") on the open file would be left over from
  // before the scan, which VS Code's client (opening the file right after `initialized`) runs into.
  const dockerfile = fileUri(path.join(root, "Dockerfile"));
  await client.waitFor("the scan's diagnostics", () => (client.diagnostics.get(dockerfile) ?? []).length > 0);
  await client.waitFor("app/main.py without a stale DK001", () => diagnostic(mainUri, "DK001") === undefined, 5000);
});

test("a hover on a gap shows the points it is worth", async () => {
  const hc001 = await client.waitFor("HC001", () => diagnostic(mainUri, "HC001"));
  const hover = await client.call(
    client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: mainUri }, position: hc001.range.start }),
    10000,
  );
  assert.ok(hover !== null, "a hover is returned");
  const contents = hover.contents;
  const text = MarkupContent.is(contents) ? contents.value : JSON.stringify(contents);
  assert.match(text, /points/);
});

test("the health-endpoint quick fix clears HC001 after the edit is applied", async () => {
  const hc001 = await client.waitFor("HC001", () => diagnostic(mainUri, "HC001"));
  const actions = (await client.call(
    client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: mainUri },
      range: hc001.range,
      context: { diagnostics: [hc001], only: ["quickfix"] },
    }),
    10000,
  )) as CodeAction[] | null;
  const fix = (actions ?? []).find((a) => a.kind === "quickfix" && a.edit !== undefined && /health/i.test(a.title));
  assert.ok(fix?.edit !== undefined, `a health quick fix, got: ${(actions ?? []).map((a) => a.title).join("; ")}`);
  const edits = editsFor(fix.edit, mainUri);
  assert.ok(edits.length > 0, "the fix edits app/main.py");
  // Send the edits as incremental changes, last first, the way VS Code reports an applied edit.
  const ordered = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  const fixed = applyEdits(mainText, edits);
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: mainUri, version: 2 },
    contentChanges: ordered.map((e) => ({ range: e.range, text: e.newText })),
  });
  assert.match(fixed, /health/);
  await client.waitFor("HC001 to clear", () => client.diagnostics.has(mainUri) && diagnostic(mainUri, "HC001") === undefined);
});

test("shipready.report returns a report the report page renders", async () => {
  const result = await client.call(
    client.connection.sendRequest(ExecuteCommandRequest.type, { command: "shipready.report", arguments: [] }),
    10000,
  );
  assert.ok(isReport(result), `a report, got ${JSON.stringify(result).slice(0, 300)}`);
  // The seed auditor's five categories and the standard profile's five more.
  assert.ok(result.categories.length === 10);
  const html = renderReportHtml(result, { cspSource: "vscode-webview://test", nonce: "n" });
  for (const category of result.categories) {
    assert.ok(html.includes(`data-category="${category.id}"`));
  }
});

test("shipready/score notifications carry what the status bar shows", async () => {
  const score = await client.waitFor("a shipready/score notification", () =>
    client.notifications.find((n) => n.method === "shipready/score"),
  );
  const summary = parseScoreSummary(score.params);
  assert.ok(summary !== undefined, `a valid score payload, got ${JSON.stringify(score.params)}`);
  assert.ok(summary.overall >= 0 && summary.overall <= 100);
  assert.equal(summary.categories.length, 10);
  // The status bar shows the last notification: it must agree with the report.
  const report = await client.call(
    client.connection.sendRequest(ExecuteCommandRequest.type, { command: "shipready.report", arguments: [] }),
  );
  assert.ok(isReport(report));
  const last = client.notifications.filter((n) => n.method === "shipready/score").at(-1);
  assert.equal(parseScoreSummary(last?.params)?.overall, report.overall);
});

test("a severity setting sent with didChangeConfiguration turns a rule off", async () => {
  const dockerfile = fileUri(path.join(root, "Dockerfile"));
  await client.waitFor("DK002 on the Dockerfile", () => diagnostic(dockerfile, "DK002"));
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, {
    settings: serverOptions((key) => ({ profile: "standard", severities: { DK002: "off" } })[key]),
  });
  await client.waitFor("DK002 to be hidden", () => diagnostic(dockerfile, "DK002") === undefined && (client.diagnostics.get(dockerfile) ?? []).length > 0);
});

function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  const edits: TextEdit[] = [...(edit.changes?.[uri] ?? [])];
  for (const change of edit.documentChanges ?? []) {
    if ("textDocument" in change && change.textDocument.uri === uri) {
      edits.push(...(change.edits as TextEdit[]));
    }
  }
  return edits;
}

/** Applies LSP edits (UTF-16 positions, which are JavaScript string indices) to a text. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n") {
      lineStarts.push(i + 1);
    }
  }
  const offset = (p: { line: number; character: number }) =>
    p.line >= lineStarts.length ? text.length : Math.min((lineStarts[p.line] ?? 0) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  }
  return out;
}
