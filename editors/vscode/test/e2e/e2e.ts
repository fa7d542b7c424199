// End-to-end test in real VS Code: code-server (VS Code 1.100) with the packaged .vsix installed, driven by
// Playwright through Debian's Chromium, on a copy of the fixture workspace. Checks what a user sees: the
// status bar score, shipready's diagnostics in the Problems panel, a hover with the points a gap is worth,
// and a quick fix that inserts a health endpoint after which the diagnostic disappears; then the readiness
// report webview. Screenshots of every step go to the artifacts folder.
//
// Environment: CODE_SERVER (code-server's out/node/entry.js), VSIX (omit it for the negative control: the test
// must then fail), CHROMIUM (default: `chromium` on PATH), ARTIFACTS (default .test-artifacts/vscode),
// E2E_TIMEOUT_MS (whole-run watchdog, default 240000).
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Browser, chromium, Locator, Page } from "playwright-core";

const REPO_ROOT = path.resolve(__dirname, "../../../../..");
const FIXTURE = path.join(REPO_ROOT, "editors/vscode/test/fixtures/workspace");
const ARTIFACTS = path.resolve(process.env.ARTIFACTS ?? path.join(REPO_ROOT, ".test-artifacts/vscode"));
const CODE_SERVER = required("CODE_SERVER");
const VSIX = process.env.VSIX ?? "";
const CHROMIUM = process.env.CHROMIUM ?? which("chromium");
const WATCHDOG_MS = Number(process.env.E2E_TIMEOUT_MS ?? 240000);

const children: ChildProcess[] = [];
let browser: Browser | undefined;
let step = 0;

async function main(): Promise<void> {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shipready-vscode-e2e-"));
  const workspace = path.join(tmp, "workspace");
  fs.cpSync(FIXTURE, workspace, { recursive: true });
  const env = isolatedEnv(tmp);
  const userData = path.join(tmp, "user-data");
  const extensions = path.join(tmp, "extensions");
  writeSettings(userData);

  if (VSIX !== "") {
    log(`installing ${VSIX}`);
    execFileSync(process.execPath, [CODE_SERVER, "--user-data-dir", userData, "--extensions-dir", extensions, "--install-extension", VSIX], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120000,
    });
  } else {
    log("no VSIX given: running without the extension (negative control)");
  }

  const port = await freePort();
  const config = path.join(tmp, "config.yaml");
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const serverLog = fs.openSync(path.join(ARTIFACTS, "code-server.log"), "w");
  const server = spawn(
    process.execPath,
    [
      CODE_SERVER,
      "--config", config,
      "--user-data-dir", userData,
      "--extensions-dir", extensions,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      "--log", "info",
      workspace,
    ],
    { env, stdio: ["ignore", serverLog, serverLog], detached: true },
  );
  children.push(server);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthz(url, 60000);
  log(`code-server is up at ${url}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60000,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: "domcontentloaded" });
  await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 60000 });
  await page.locator(".explorer-folders-view").waitFor({ state: "visible", timeout: 60000 });
  await shot(page, "workbench");

  await openFile(page, ["app", "main.py"]);
  await page.locator(".monaco-editor .view-line", { hasText: "app = FastAPI" }).first().waitFor({ state: "visible" });

  // 1. The status bar shows the score and band from the server.
  const status = page.locator(".statusbar-item", { hasText: /Readiness \d+\.\d/ }).first();
  await expectVisible(status, "the shipready status bar item with the score", 60000);
  const statusText = (await status.innerText()).trim();
  log(`status bar: ${statusText}`);
  if (!/Readiness \d+\.\d (Production Ready|Almost Ready|Significant Work Required)/.test(statusText)) {
    throw new Error(`unexpected status bar text: ${statusText}`);
  }
  await shot(page, "status-bar");

  // 2. The Problems panel lists shipready's diagnostics with their codes.
  await page.keyboard.press("Control+Shift+M");
  const hc001Row = page.locator(".markers-panel .monaco-list-row", { hasText: "HC001" });
  await expectVisible(hc001Row.first(), "an HC001 row in the Problems panel", 30000);
  const problems = await page.locator(".markers-panel .monaco-list-row").allInnerTexts();
  fs.writeFileSync(path.join(ARTIFACTS, "problems-before.txt"), problems.join("\n---\n"));
  if (!problems.some((row) => /shipready/.test(row))) {
    throw new Error(`no Problems row names the source shipready:\n${problems.join("\n")}`);
  }
  await shot(page, "problems");

  // 3. A hover on the gap shows the points fixing it is worth.
  const appLine = page.locator(".monaco-editor .view-line", { hasText: "app = FastAPI" }).first();
  const token = appLine.locator("span span", { hasText: /^app$/ }).first();
  const hover = page.locator(".monaco-hover-content", { hasText: /points/ }).filter({ visible: true });
  await retry("a hover with the points", 4, async () => {
    await page.mouse.move(5, 5);
    await token.hover();
    await hover.first().waitFor({ state: "visible", timeout: 8000 });
  });
  const hoverText = await hover.first().innerText();
  fs.writeFileSync(path.join(ARTIFACTS, "hover.txt"), hoverText);
  log(`hover: ${hoverText.replace(/\s+/g, " ").slice(0, 200)}`);
  await shot(page, "hover");
  await page.keyboard.press("Escape");
  await page.mouse.move(5, 5);

  // 4. The quick fix inserts a health endpoint and the diagnostic disappears.
  await token.click();
  await page.keyboard.press("Control+.");
  const rows = page.locator(".action-widget .monaco-list-row").filter({ visible: true });
  await expectVisible(rows.first(), "the quick fix menu", 15000);
  const titles = await rows.allInnerTexts();
  log(`quick fixes: ${titles.map((t) => t.trim()).join(" | ")}`);
  const target = titles.findIndex((t) => /health/i.test(t) && !/readiness/i.test(t));
  if (target < 0) {
    throw new Error(`no health-endpoint quick fix among: ${titles.join(" | ")}`);
  }
  await shot(page, "quick-fix-menu");
  // The action widget ignores synthetic clicks: move the focus with the arrow keys and accept with Enter.
  await moveFocusTo(page, rows, target);
  await page.keyboard.press("Enter");
  const inserted = page.locator(".monaco-editor .view-line", { hasText: /health/ }).first();
  await expectVisible(inserted, "the inserted health endpoint in the editor", 15000);
  await page.waitForFunction(
    () => !Array.from(document.querySelectorAll(".markers-panel .monaco-list-row")).some((row) => row.textContent?.includes("HC001")),
    undefined,
    { timeout: 30000 },
  );
  const after = await page.locator(".markers-panel .monaco-list-row").allInnerTexts();
  fs.writeFileSync(path.join(ARTIFACTS, "problems-after.txt"), after.join("\n---\n"));
  await shot(page, "fixed");

  // 5. Clicking the status bar opens the readiness report with a bar per category.
  await page.locator(".statusbar-item", { hasText: /Readiness \d+\.\d/ }).first().click();
  const report = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
  await expectVisible(report.locator("text=Categories"), "the readiness report webview", 20000);
  const bars = await report.locator(".category").count();
  if (bars !== 5) {
    throw new Error(`the report shows ${bars} category bars, expected 5`);
  }
  await expectVisible(report.locator("a[data-file]").first(), "a gap linking to its file", 5000);
  await shot(page, "report");
  log("all end-to-end checks passed");
}

async function openFile(page: Page, segments: string[]): Promise<void> {
  const tree = page.locator(".explorer-folders-view");
  for (const [i, name] of segments.entries()) {
    const exact = new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
    const row = tree.locator(".monaco-list-row", { hasText: exact }).first();
    await row.waitFor({ state: "visible", timeout: 30000 });
    if (i < segments.length - 1) {
      if ((await row.getAttribute("aria-expanded")) !== "true") {
        await row.click();
      }
    } else {
      await row.dblclick();
    }
  }
}

async function moveFocusTo(page: Page, rows: Locator, index: number): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const focused = await rows.evaluateAll((els) => els.findIndex((el) => el.classList.contains("focused")));
    if (focused === index) {
      return;
    }
    await page.keyboard.press(focused < index ? "ArrowDown" : "ArrowUp");
  }
  throw new Error(`could not focus quick fix #${index}`);
}

async function expectVisible(locator: Locator, what: string, timeout: number): Promise<void> {
  try {
    await locator.waitFor({ state: "visible", timeout });
  } catch {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
  }
}

async function retry(what: string, attempts: number, action: () => Promise<void>): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await action();
      return;
    } catch (error) {
      if (i >= attempts) {
        throw new Error(`${what}: ${String(error)}`);
      }
    }
  }
}

async function shot(page: Page, name: string): Promise<void> {
  step += 1;
  const file = path.join(ARTIFACTS, `${String(step).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file });
}

function writeSettings(userData: string): void {
  const dir = path.join(userData, "User");
  fs.mkdirSync(dir, { recursive: true });
  const settings = {
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "chat.disableAIFeatures": true,
    "git.enabled": false,
    "editor.hover.delay": 200,
    "editor.minimap.enabled": false,
    "window.commandCenter": false,
  };
  fs.writeFileSync(path.join(dir, "settings.json"), JSON.stringify(settings, null, 2));
}

/** Keeps code-server's, VS Code's and Chromium's caches and configs out of the real HOME. */
function isolatedEnv(tmp: string): NodeJS.ProcessEnv {
  const home = path.join(tmp, "home");
  for (const dir of ["config", "data", "state", "cache"]) {
    fs.mkdirSync(path.join(home, dir), { recursive: true });
  }
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_DATA_HOME: path.join(home, "data"),
    XDG_STATE_HOME: path.join(home, "state"),
    XDG_CACHE_HOME: path.join(home, "cache"),
  };
}

async function waitForHealthz(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${ms} ms (see code-server.log)`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function which(name: string): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir !== "" && fs.existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error(`${name} is not on PATH`);
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} must be set`);
  }
  return value;
}

function log(message: string): void {
  process.stderr.write(`[e2e] ${message}\n`);
}

async function cleanup(): Promise<void> {
  await browser?.close().catch(() => undefined);
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        // code-server runs detached in its own process group: end the group (its extension host and the
        // language server it started) and nothing else.
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }
  }
}

const watchdog = setTimeout(() => {
  log(`watchdog: the run took longer than ${WATCHDOG_MS} ms`);
  void cleanup().finally(() => process.exit(1));
}, WATCHDOG_MS);

main()
  .then(async () => {
    clearTimeout(watchdog);
    await cleanup();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    clearTimeout(watchdog);
    log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    if (browser !== undefined) {
      for (const ctx of browser.contexts()) {
        for (const page of ctx.pages()) {
          await page.screenshot({ path: path.join(ARTIFACTS, "failure.png") }).catch(() => undefined);
        }
      }
    }
    await cleanup();
    process.exit(1);
  });
