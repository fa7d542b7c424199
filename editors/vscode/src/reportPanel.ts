/**
 * The readiness report webview: one panel at a time, re-rendered from a fresh `shipready.report`
 * result when it opens and whenever the score changes, and opening a gap's file at its line when the
 * user clicks it.
 */
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";
import { parseOpenMessage, renderReportHtml, Report } from "./report";

export class ReportPanel {
  static current: ReportPanel | undefined;

  private report: Report | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private fetchReport: () => Promise<Report | undefined>,
  ) {
    this.panel.onDidDispose(() => this.dispose(), null, this.disposables);
    this.panel.webview.onDidReceiveMessage((message: unknown) => void this.open(message), null, this.disposables);
  }

  static show(extensionUri: vscode.Uri, fetchReport: () => Promise<Report | undefined>): void {
    if (ReportPanel.current !== undefined) {
      ReportPanel.current.fetchReport = fetchReport;
      ReportPanel.current.panel.reveal();
      void ReportPanel.current.refresh();
      return;
    }
    const panel = vscode.window.createWebviewPanel("shipready.report", "Readiness Report", vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [extensionUri],
    });
    ReportPanel.current = new ReportPanel(panel, fetchReport);
    panel.webview.html = LOADING_HTML;
    void ReportPanel.current.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const report = await this.fetchReport();
      if (report === undefined) {
        return;
      }
      this.report = report;
      this.panel.webview.html = renderReportHtml(report, {
        cspSource: this.panel.webview.cspSource,
        nonce: randomBytes(16).toString("base64"),
      });
    } catch (error) {
      void vscode.window.showErrorMessage(`shipready: could not build the report: ${String(error)}`);
    }
  }

  private async open(message: unknown): Promise<void> {
    const location = parseOpenMessage(message);
    if (location === undefined) {
      return;
    }
    const root = this.report?.root ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (root === undefined) {
      return;
    }
    const uri = vscode.Uri.file(path.resolve(root, location.file));
    const position = new vscode.Position(location.line - 1, location.column - 1);
    await vscode.window.showTextDocument(uri, {
      selection: new vscode.Range(position, position),
      viewColumn: vscode.ViewColumn.One,
    });
  }

  private dispose(): void {
    ReportPanel.current = undefined;
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
  }
}

const LOADING_HTML = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none';"></head><body><p>Building the readiness report...</p></body></html>`;
