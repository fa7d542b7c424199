// A minimal LSP client over stdio for the protocol tier, built on vscode-jsonrpc and
// vscode-languageserver-protocol (the libraries VS Code's own client uses): starts the real
// `shipready lsp`, answers the requests a server may send the client, and records what it publishes.
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { Diagnostic, PublishDiagnosticsNotification } from "vscode-languageserver-protocol/node";

export const REPO_ROOT = path.resolve(__dirname, "../../../../..");
export const FIXTURE = path.join(REPO_ROOT, "editors/vscode/test/fixtures/workspace");
/** The engine's fixture of several deployable units (an API image, a CDK app, a CLI image, two set-aside files). */
export const UNITS_FIXTURE = path.join(REPO_ROOT, "tests/fixtures/units-two");

/** The binary under test: $SHIPREADY_BIN, else the workspace's debug build. */
export function serverBinary(): string {
  return process.env.SHIPREADY_BIN ?? path.join(REPO_ROOT, "target/debug/shipready");
}

/** Copies a fixture workspace into a fresh temp folder, so fixes never touch the checked-in files. */
export function copyFixture(fixture = FIXTURE): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shipready-vscode-protocol-"));
  fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}

export function fileUri(file: string): string {
  return pathToFileURL(file).toString();
}

export class LspClient {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly notifications: { method: string; params: unknown }[] = [];
  /** The requests the server sent the client (`workspace/codeLens/refresh`, `client/registerCapability`, ...). */
  readonly requests: { method: string; params: unknown }[] = [];
  private readonly process: ChildProcess;
  private readonly waiters: (() => void)[] = [];
  /** Rejects when the server process exits, with its exit status and the end of its stderr. */
  private readonly died: Promise<never>;
  stderr = "";

  constructor(binary = serverBinary()) {
    this.process = spawn(binary, ["lsp"], { stdio: ["pipe", "pipe", "pipe"] });
    this.process.stderr?.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.died = new Promise<never>((_, reject) => {
      const fail = (why: string) => reject(new Error(`the server ${why}; stderr:\n${this.stderr.slice(-2000)}`));
      this.process.once("error", (error) => fail(`could not start (${binary}): ${error.message}`));
      this.process.once("exit", (code, signal) => fail(`exited (code ${code}, signal ${signal})`));
    });
    // Only the requests that race against `died` observe it; an exit after shutdown is expected.
    this.died.catch(() => undefined);
    const stdout = this.process.stdout;
    const stdin = this.process.stdin;
    if (stdout === null || stdin === null) {
      throw new Error("the server's stdio is not piped");
    }
    this.connection = createMessageConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.wake();
    });
    this.connection.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    // Requests a server may send: capability registration, progress tokens, configuration.
    this.connection.onRequest((method: string, params: unknown) => {
      this.requests.push({ method, params });
      this.wake();
      if (method === "workspace/configuration") {
        const items = (params as { items?: unknown[] }).items ?? [];
        return items.map(() => null);
      }
      if (method === "workspace/applyEdit") {
        return { applied: false };
      }
      return null;
    });
    this.connection.listen();
  }

  /** Waits until `predicate` holds, re-checking on every message; fails after `ms` with `what`. */
  async waitFor<T>(what: string, predicate: () => T | undefined | false, ms = 15000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = predicate();
      if (value !== undefined && value !== false) {
        return value;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out after ${ms} ms waiting for ${what}; server stderr:\n${this.stderr.slice(-2000)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Awaits a request's result, failing fast when the server dies and after `ms` when it does not answer. */
  call<T>(request: Promise<T>, ms = 10000): Promise<T> {
    return withTimeout(Promise.race([request, this.died]), ms);
  }

  async close(): Promise<void> {
    try {
      await withTimeout(this.connection.sendRequest("shutdown"), 5000);
      await this.connection.sendNotification("exit");
      this.process.stdin?.end();
    } catch {
      // The process is killed below either way.
    }
    const exited = new Promise<void>((resolve) => this.process.once("exit", () => resolve()));
    await withTimeout(exited, 3000).catch(() => undefined);
    if (this.process.exitCode === null) {
      this.process.kill("SIGKILL");
    }
    this.connection.dispose();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) {
      waiter();
    }
  }
}

/** Settles like `promise`, or rejects after `ms`; the timer is cleared so it never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
