/**
 * The extension's entry point: starts `shipready lsp` through vscode-languageclient, keeps the status bar
 * score current from the server's `shipready/score` notifications (the score of the deployable unit of the
 * active file, else of its workspace folder), and registers the commands (show report, fix all, restart
 * server, show output). The code lenses follow score changes through `workspace/codeLens/refresh`, which the
 * client's code lens feature declares and handles. The logic worth testing lives in the pure modules (binary,
 * config, format, report, scores); this file only wires them to the VS Code API.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions as ClientServerOptions,
  State,
} from "vscode-languageclient/node";
import { resolveServerBinary } from "./binary";
import { serverOptions } from "./config";
import { parseScoreSummary, ScoreSummary, statusBarText, statusBarTooltip } from "./format";
import { ReportPanel } from "./reportPanel";
import { isReport, Report } from "./report";
import { ScoreBook, scoresOfReport } from "./scores";

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append("shipready");

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let statusBar: vscode.StatusBarItem;
/** The latest score per workspace folder and per deployable unit, by their folders. */
const scores = new ScoreBook();
/** The file the status bar shows the score of: the active editor's, kept while a webview or panel has focus. */
let activeFile: vscode.Uri | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("shipready");
  statusBar = vscode.window.createStatusBarItem("shipready.score", vscode.StatusBarAlignment.Left, 10);
  statusBar.name = "shipready readiness score";
  statusBar.command = "shipready.showReport";
  context.subscriptions.push(output, statusBar);

  context.subscriptions.push(
    vscode.commands.registerCommand("shipready.showReport", () => showReport(context)),
    vscode.commands.registerCommand("shipready.fixAll", fixAll),
    vscode.commands.registerCommand("shipready.restartServer", () => restart(context)),
    vscode.commands.registerCommand("shipready.showOutput", () => output.show(true)),
    vscode.window.onDidChangeActiveTextEditor(() => renderScore()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => renderScore()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("shipready.path")) {
        void restart(context);
      } else if (event.affectsConfiguration("shipready")) {
        void sendConfiguration();
      }
    }),
  );

  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const resolution = resolveServerBinary({
    configuredPath: vscode.workspace.getConfiguration("shipready").get<string>("path"),
    extensionPath: context.extensionPath,
    envPath: process.env.PATH,
    envPathExt: process.env.PATHEXT,
    platform: process.platform,
    homeDir: os.homedir(),
    workspaceFolder: folder,
    isExecutable,
  });
  if (resolution.kind === "missing") {
    output.appendLine(`${resolution.message} Tried: ${resolution.tried.join(", ")}`);
    showStatus("$(error) shipready: no binary", resolution.message, "shipready.showOutput");
    void offerSetPath(resolution.message);
    return;
  }
  output.appendLine(`Starting ${resolution.path} lsp (from ${resolution.source})`);
  showStatus("$(sync~spin) Readiness", "shipready is analyzing the workspace", "shipready.showOutput");

  const server: ClientServerOptions = { command: resolution.path, args: ["lsp"] };
  const options: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "dockerfile" },
      { scheme: "file", language: "dockercompose" },
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "python" },
      { scheme: "file", pattern: "**/cdk.json" },
      { scheme: "file", pattern: "**/*requirements*.txt" },
    ],
    initializationOptions: currentOptions(),
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      // The code lenses run `shipready.report`: show its result as the report page instead of dropping it.
      executeCommand: async (command, args, next) => {
        const result: unknown = await next(command, args);
        if (command === "shipready.report") {
          const root = typeof args[0] === "string" ? args[0] : undefined;
          ReportPanel.show(context.extensionUri, () => requestReport(root));
        }
        return result;
      },
    },
  };
  const next = new LanguageClient("shipready", "shipready", server, options);
  next.onNotification("shipready/score", (payload: unknown) => {
    const summary = parseScoreSummary(payload);
    if (summary !== undefined) {
      updateScore(summary);
    }
  });
  client = next;
  try {
    await next.start();
  } catch (error) {
    output.appendLine(`The shipready server failed to start: ${String(error)}`);
    showStatus("$(error) shipready", "The language server failed to start; see the output.", "shipready.showOutput");
    return;
  }
  // The first score notification may have been sent before the workspace scan ended, or not at all when
  // the score never changed: ask for the report once so the status bar is right from the start.
  void refreshFromReport();
}

async function stop(): Promise<void> {
  const current = client;
  client = undefined;
  scores.clear();
  if (current !== undefined && current.state !== State.Stopped) {
    await current.stop(5000).catch((error: unknown) => output.appendLine(`Stopping the server: ${String(error)}`));
  }
}

/** Restarts run one after another: settings typed key by key fire a change per keystroke. */
let lifecycle: Promise<void> = Promise.resolve();

function restart(context: vscode.ExtensionContext): Promise<void> {
  lifecycle = lifecycle.then(
    () => stop().then(() => start(context)),
    () => stop().then(() => start(context)),
  );
  return lifecycle;
}

function currentOptions(): ReturnType<typeof serverOptions> {
  const settings = vscode.workspace.getConfiguration("shipready");
  return serverOptions((key) => settings.get(key));
}

async function sendConfiguration(): Promise<void> {
  if (client === undefined || client.state !== State.Running) {
    return;
  }
  await client.sendNotification(DidChangeConfigurationNotification.type, { settings: currentOptions() });
}

/** The report of one workspace folder (by URI), or of the server's first folder. */
async function requestReport(root?: string): Promise<Report | undefined> {
  if (client === undefined || client.state !== State.Running) {
    return undefined;
  }
  const result = await client.sendRequest(ExecuteCommandRequest.type, {
    command: "shipready.report",
    arguments: root === undefined ? [] : [root],
  });
  return isReport(result) ? result : undefined;
}

async function refreshFromReport(): Promise<void> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      const report = await requestReport(folder.uri.toString());
      if (report === undefined) {
        continue;
      }
      for (const summary of scoresOfReport(report, folder.uri.toString())) {
        // A score notification that arrived meanwhile is newer than this report.
        if (summary.root !== undefined && !scores.has(summary.root)) {
          scores.set(summary);
        }
      }
      renderScore();
    } catch (error) {
      output.appendLine(`shipready.report failed for ${folder.uri.toString()}: ${String(error)}`);
    }
  }
}

function updateScore(summary: ScoreSummary): void {
  scores.set(summary);
  renderScore();
  void ReportPanel.current?.refresh();
}

/** The file the user is working on: the active editor's file, else the last one that was active. */
function currentFile(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  if (uri !== undefined && uri.scheme === "file") {
    activeFile = uri;
  }
  return activeFile;
}

/** The workspace folder the user is looking at: the current file's, else the first one. */
function activeFolder(): vscode.WorkspaceFolder | undefined {
  const uri = currentFile();
  return (uri !== undefined ? vscode.workspace.getWorkspaceFolder(uri) : undefined) ?? vscode.workspace.workspaceFolders?.[0];
}

function renderScore(): void {
  if (client === undefined) {
    return;
  }
  // The score of the current file's deployable unit (the deepest scored folder holding it), else its folder's.
  const summary = scores.pick(currentFile()?.toString(), activeFolder()?.uri.toString());
  if (summary !== undefined) {
    showStatus(statusBarText(summary), statusBarTooltip(summary), "shipready.showReport");
  }
}

function showStatus(text: string, tooltip: string, command: string): void {
  statusBar.text = text;
  statusBar.tooltip = tooltip;
  statusBar.command = command;
  statusBar.show();
}

async function showReport(context: vscode.ExtensionContext): Promise<void> {
  if (client === undefined) {
    void vscode.window.showWarningMessage("shipready: the language server is not running.", "Show Output").then((pick) => {
      if (pick !== undefined) {
        output.show(true);
      }
    });
    return;
  }
  const folder = activeFolder();
  ReportPanel.show(context.extensionUri, () => requestReport(folder?.uri.toString()));
}

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showInformationMessage("shipready: open a file to fix its readiness gaps.");
    return;
  }
  const document = editor.document;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      document.uri,
      whole,
      FIX_ALL_KIND.value,
    )) ?? [];
  const action = actions.find((a) => a.kind !== undefined && FIX_ALL_KIND.contains(a.kind));
  if (action === undefined) {
    void vscode.window.showInformationMessage("shipready: nothing to fix automatically in this file.");
    return;
  }
  if (action.edit !== undefined) {
    await vscode.workspace.applyEdit(action.edit);
  }
  if (action.command !== undefined) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
}

async function offerSetPath(message: string): Promise<void> {
  const pick = await vscode.window.showErrorMessage(`shipready: ${message}`, "Set path", "Show Output");
  if (pick === "Show Output") {
    output.show(true);
  } else if (pick === "Set path") {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      openLabel: "Use this shipready binary",
    });
    const file = chosen?.[0]?.fsPath;
    if (file !== undefined) {
      // The configuration listener restarts the server with the new path.
      await vscode.workspace.getConfiguration("shipready").update("path", file, vscode.ConfigurationTarget.Global);
    }
  }
}

function isExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform === "win32") {
      return true;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
