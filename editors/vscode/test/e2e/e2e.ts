// End-to-end test in real VS Code: code-server (VS Code 1.100) with the packaged .vsix installed, driven by
// Playwright through Debian's Chromium, on a copy of the fixture workspace. Checks what a user sees: the
// status bar score, shipready's diagnostics in the Problems panel, a hover with the points a gap is worth,
// and a quick fix that inserts a health endpoint after which the diagnostic disappears; then the readiness
// report webview. Then, in a second window on a copy of tests/fixtures/units-two (several deployable units): the
// status bar shows the score of the active file's unit and switches with the active editor, a Dockerfile's code
// lens follows an edit to another file of its unit, and the report has a section per unit and the set-aside
// files. Screenshots of every step go to the artifacts folder.
//
// Environment: CODE_SERVER (code-server's out/node/entry.js), VSIX (omit it for the negative control: the test
// must then fail), CHROMIUM (default: `chromium` on PATH), ARTIFACTS (default .test-artifacts/vscode),
// E2E_TIMEOUT_MS (whole-run watchdog, default 360000).
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Browser, BrowserContext, chromium, Locator, Page } from "playwright-core";
import { statusBarText } from "../../src/format";

const REPO_ROOT = path.resolve(__dirname, "../../../../..");
const FIXTURE = path.join(REPO_ROOT, "editors/vscode/test/fixtures/workspace");
const UNITS_FIXTURE = path.join(REPO_ROOT, "tests/fixtures/units-two");
const ARTIFACTS = path.resolve(process.env.ARTIFACTS ?? path.join(REPO_ROOT, ".test-artifacts/vscode"));
const CODE_SERVER = required("CODE_SERVER");
const VSIX = process.env.VSIX ?? "";
const CHROMIUM = process.env.CHROMIUM ?? which("chromium");
const WATCHDOG_MS = Number(process.env.E2E_TIMEOUT_MS ?? 360000);

const children: ChildProcess[] = [];
let tmpDir: string | undefined;
let browser: Browser | undefined;
let step = 0;

async function main(): Promise<void> {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shipready-vscode-e2e-"));
  tmpDir = tmp;
  const workspace = path.join(tmp, "workspace");
  fs.cpSync(FIXTURE, workspace, { recursive: true });
  const unitsWorkspace = path.join(tmp, "units");
  fs.cpSync(UNITS_FIXTURE, unitsWorkspace, { recursive: true });
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

  // 1. The status bar shows the workspace's score and band, the same as `shipready check` computes.
  const expected = expectedStatus(workspace);
  const status = page.locator(".statusbar-item", { hasText: /Readiness \d+\.\d/ }).first();
  await expectVisible(status, "the shipready status bar item with the score", 60000);
  await expectVisible(page.locator(".statusbar-item", { hasText: expected }).first(), `the status bar to read "${expected}"`, 30000);
  const statusText = (await status.innerText()).trim();
  log(`status bar: ${statusText}`);
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
  // Nothing left over from before the workspace scan: the fixture has a Dockerfile, so no "no Dockerfile" gap.
  await page.waitForFunction(
    () => !Array.from(document.querySelectorAll(".markers-panel .monaco-list-row")).some((row) => row.textContent?.includes("DK001")),
    undefined,
    { timeout: 15000 },
  ).catch(() => {
    throw new Error("the Problems panel still shows DK001 (no Dockerfile) although the workspace has one: stale diagnostics");
  });
  await shot(page, "problems");

  // 3. A hover on the gap shows the points fixing it is worth.
  // Hover the first characters of `app = FastAPI(...)`, where the gap's range starts. The position is
  // measured right before each attempt: code lenses appearing above the line move it down.
  const appLine = page.locator(".monaco-editor .view-line", { hasText: "app = FastAPI" }).first();
  const hover = page.locator(".monaco-hover-content", { hasText: /[Ww]orth \d+\.\d+ points/ }).filter({ visible: true });
  await retry("a hover with the points", 4, async () => {
    const box = await appLine.boundingBox();
    if (box === null) {
      throw new Error("the line `app = FastAPI(...)` is not on screen");
    }
    await page.mouse.move(5, 5);
    await page.mouse.move(box.x + 8, box.y + box.height / 2, { steps: 4 });
    await hover.first().waitFor({ state: "visible", timeout: 8000 });
  });
  const hoverText = await hover.first().innerText();
  fs.writeFileSync(path.join(ARTIFACTS, "hover.txt"), hoverText);
  log(`hover: ${hoverText.replace(/\s+/g, " ").slice(0, 200)}`);
  await shot(page, "hover");
  await page.keyboard.press("Escape");
  await page.mouse.move(5, 5);

  // 4. The quick fix inserts a health endpoint and the diagnostic disappears.
  await applyHealthQuickFix(page, 3);
  const inserted = page.locator(".monaco-editor .view-line", { hasText: /health/ }).first();
  await expectVisible(inserted, "the inserted health endpoint in the editor", 15000);
  await page.waitForFunction(
    () => !Array.from(document.querySelectorAll(".markers-panel .monaco-list-row")).some((row) => row.textContent?.includes("HC001")),
    undefined,
    { timeout: 30000 },
  );
  // The score goes up live: the status bar no longer shows the score before the fix.
  await page.waitForFunction(
    (before) => Array.from(document.querySelectorAll(".statusbar-item")).some((el) => /Readiness \d/.test(el.textContent ?? "") && !(el.textContent ?? "").includes(before)),
    expected,
    { timeout: 20000 },
  );
  const after = await page.locator(".markers-panel .monaco-list-row").allInnerTexts();
  fs.writeFileSync(path.join(ARTIFACTS, "problems-after.txt"), after.join("\n---\n"));
  await shot(page, "fixed");

  // 5. Clicking the status bar opens the readiness report with a bar per category.
  await page.locator(".statusbar-item", { hasText: /Readiness \d+\.\d/ }).first().click();
  const report = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
  await expectVisible(report.locator("text=Categories"), "the readiness report webview", 20000);
  const bars = await report.locator(".category").count();
  // The seed auditor's five categories and the standard profile's five more.
  if (bars !== 10) {
    throw new Error(`the report shows ${bars} category bars, expected 10`);
  }
  await shot(page, "report");
  // A gap's link opens its file.
  const link = report.locator('a[data-file="Dockerfile"]').first();
  await expectVisible(link, "a gap linking to the Dockerfile", 5000);
  await link.click();
  await expectVisible(page.locator(".tab.active", { hasText: "Dockerfile" }), "the Dockerfile opened from the report", 10000);

  // 6. "Fix All" applies the file's safe fixes: with the health route in place, the Dockerfile gets a
  // HEALTHCHECK probing it.
  await page.locator(".monaco-editor .view-line", { hasText: "FROM python" }).first().waitFor({ state: "visible" });
  await page.keyboard.press("F1");
  await page.keyboard.type("shipready: Fix All Readiness Gaps");
  const entry = page.locator(".quick-input-list .monaco-list-row", { hasText: "Fix All Readiness Gaps" }).first();
  await expectVisible(entry, "the Fix All command in the command palette", 10000);
  await page.keyboard.press("Enter");
  await expectVisible(
    page.locator(".monaco-editor .view-line", { hasText: /^HEALTHCHECK\s.*\/health/ }).first(),
    "a HEALTHCHECK inserted into the Dockerfile by Fix All",
    15000,
  );
  await shot(page, "fix-all");

  // 7. A workspace of several deployable units, in a second window.
  await checkUnits(context, url, unitsWorkspace);
  await page.bringToFront();

  // 8. A shipready.path that names no binary: a clear error with a "Set path" action, and no stale score.
  // Set it the way a user does, in the Settings editor (which also shows the setting's description).
  await page.keyboard.press("F1");
  await page.keyboard.type("Preferences: Open User Settings");
  await expectVisible(page.locator(".quick-input-list .monaco-list-row", { hasText: "Open User Settings" }).first(), "the Open User Settings command", 10000);
  await page.keyboard.press("Enter");
  await expectVisible(page.locator(".settings-editor").first(), "the Settings editor", 15000);
  await page.keyboard.type("shipready.path");
  // The setting is machine-overridable: in a remote window (code-server) it lives under the Remote tab.
  await page.locator(".settings-editor .settings-tabs-widget .action-label", { hasText: "Remote" }).first().click();
  const pathSetting = page.locator(".settings-editor .setting-item-contents", { hasText: "bundled with the extension" }).first();
  await expectVisible(pathSetting, "the shipready.path setting with its description", 15000);
  await pathSetting.locator("input").first().fill("/nonexistent/shipready");
  await page.keyboard.press("Enter");
  const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "not an executable file" }).first();
  await expectVisible(toast, "the error about shipready.path", 20000);
  await expectVisible(toast.locator(".monaco-button", { hasText: "Set path" }).first(), 'the "Set path" action', 5000);
  await expectVisible(page.locator(".statusbar-item", { hasText: "shipready: no binary" }).first(), "the status bar saying the binary is missing", 5000);
  await shot(page, "missing-binary");
  log("all end-to-end checks passed");
}

/**
 * In a second window on a workspace of several deployable units (api/, billing/, tools/reportgen/, and files set
 * aside): the status bar shows the score of the active file's unit, and switches when the active editor does; a
 * file of no unit shows the workspace's score; the api Dockerfile's code lens follows a fix made in api/app/main.py
 * (the server's `workspace/codeLens/refresh`); the report has a section per unit and the set-aside files.
 */
async function checkUnits(context: BrowserContext, url: string, workspace: string): Promise<void> {
  const report = checkReport(workspace);
  const unitText = (name: string) => {
    const unit = report.units.find((u) => u.name === name);
    if (unit === undefined) {
      throw new Error(`shipready check finds no unit ${name} in ${workspace}: ${report.units.map((u) => u.name).join(", ")}`);
    }
    return statusText({ overall: unit.overall, band: unit.band, unit: name });
  };
  const api = unitText("api");
  const billing = unitText("billing");
  if (!/^Readiness \d+\.\d .+ · api$/.test(api) || api === billing) {
    throw new Error(`unexpected status texts for the units: "${api}", "${billing}"`);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: "domcontentloaded" });
  await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 60000 });
  await page.locator(".explorer-folders-view").waitFor({ state: "visible", timeout: 60000 });

  const status = (text: string) => page.locator(".statusbar-item", { hasText: text }).first();
  await openFile(page, ["api", "app", "main.py"]);
  await expectVisible(status(api), `the status bar to read "${api}" on api/app/main.py`, 60000);
  log(`units: api/app/main.py -> ${(await status(api).innerText()).trim()}`);
  await shot(page, "units-api");

  await openFile(page, ["billing", "app.py"]);
  await expectVisible(status(billing), `the status bar to read "${billing}" on billing/app.py`, 20000);
  log(`units: billing/app.py -> ${(await status(billing).innerText()).trim()}`);
  await shot(page, "units-billing");

  // Back to the API's file by its tab: the status bar follows the active editor.
  await page.locator(".tab", { hasText: "main.py" }).first().click();
  await expectVisible(status(api), `the status bar to read "${api}" again on the main.py tab`, 20000);

  // A file of no unit shows the workspace's score, the mean of the units.
  const mean = statusText({ overall: report.overall, band: report.band });
  await openFile(page, ["README.md"]);
  await expectVisible(status(mean), `the status bar to read "${mean}" on README.md`, 20000);

  // The API Dockerfile's code lens shows the API's score; with main.py beside it, a fix in main.py moves the
  // Dockerfile's lens too, although the Dockerfile was not edited.
  const apiScore = report.units.find((u) => u.name === "api")?.overall ?? -1;
  const before = `Readiness ${lensNumber(apiScore)}/100`;
  await openFile(page, ["api", "Dockerfile"]);
  const dockerfileGroup = page.locator(".editor-group-container").filter({ has: page.locator(".tab.active", { hasText: "Dockerfile" }) });
  const dockerfileLens = dockerfileGroup.locator(".codelens-decoration", { hasText: "unit api" }).first();
  await expectVisible(dockerfileLens, "the api unit's code lens on api/Dockerfile", 30000);
  const lensBefore = (await dockerfileLens.innerText()).trim();
  if (!lensBefore.includes(before)) {
    throw new Error(`the api Dockerfile's lens reads "${lensBefore}", expected "${before}"`);
  }
  await runCommand(page, "View: Split Editor Right");
  await expectVisible(page.locator(".editor-group-container").nth(1), "a second editor group", 10000);
  await openFile(page, ["api", "app", "main.py"]);
  await page.locator(".monaco-editor .view-line", { hasText: "app = FastAPI" }).first().waitFor({ state: "visible" });
  await shot(page, "units-split");
  await applyHealthQuickFix(page, 3);
  await expectVisible(page.locator(".monaco-editor .view-line", { hasText: /health/ }).first(), "the inserted health endpoint in main.py", 15000);
  await page.waitForFunction(
    (old) => {
      const groups = Array.from(document.querySelectorAll(".editor-group-container"));
      const docker = groups.find((g) => g.querySelector(".tab.active")?.textContent?.includes("Dockerfile"));
      const lens = Array.from(docker?.querySelectorAll(".codelens-decoration") ?? []).find((l) => l.textContent?.includes("unit api"));
      return lens !== undefined && !(lens.textContent ?? "").includes(old);
    },
    before,
    { timeout: 30000 },
  ).catch(() => {
    throw new Error(`the api Dockerfile's lens still reads "${before}" after the fix in main.py: code lenses not refreshed`);
  });
  const lensAfter = (await dockerfileLens.innerText()).trim();
  log(`units: api/Dockerfile lens "${lensBefore}" -> "${lensAfter}"`);
  // The status bar (main.py is active) moved on with the API's score.
  await page.waitForFunction(
    (old) => Array.from(document.querySelectorAll(".statusbar-item")).some((el) => / · api$/.test((el.textContent ?? "").trim()) && !(el.textContent ?? "").includes(old)),
    api,
    { timeout: 20000 },
  );
  await shot(page, "units-lens-refreshed");

  // The report: the list of units, a section per unit, and the files set aside.
  await page.locator(".statusbar-item", { hasText: /Readiness \d+\.\d/ }).first().click();
  const webview = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
  await expectVisible(webview.locator("text=Units (3)"), "the report's list of units", 20000);
  const sections = await webview.locator("section.unit").evaluateAll((els) => els.map((el) => el.getAttribute("data-unit")));
  if (sections.join(",") !== report.units.map((u) => u.name).join(",")) {
    throw new Error(`the report has unit sections ${sections.join(", ")}, expected ${report.units.map((u) => u.name).join(", ")}`);
  }
  const setAside = await webview.locator(".set-aside-file a").allInnerTexts();
  if (setAside.join(",") !== report.set_aside.map((f) => f.path).join(",")) {
    throw new Error(`the report lists set-aside files ${setAside.join(", ")}, expected ${report.set_aside.map((f) => f.path).join(", ")}`);
  }
  await expectVisible(webview.locator('section.unit[data-unit="billing"] .gap .code', { hasText: "CD003" }).first(), "billing's CD003 gap in its section", 5000);
  await shot(page, "units-report");
  await page.close();
}

interface CheckReport {
  overall: number;
  band: string;
  units: { name: string; overall: number; band: string }[];
  set_aside: { path: string }[];
}

/** `shipready check --format json` on a workspace. */
function checkReport(workspace: string): CheckReport {
  const binary = process.env.SHIPREADY_BIN ?? path.join(REPO_ROOT, "target/debug/shipready");
  const json = execFileSync(binary, ["check", workspace, "--format", "json"], { timeout: 30000, encoding: "utf8" });
  return JSON.parse(json) as CheckReport;
}

/** The status bar's text as the page shows it: `statusBarText` without the codicon, which renders as an icon. */
function statusText(summary: { overall: number; band: string; unit?: string }): string {
  return statusBarText(summary).replace(/^\$\([^)]*\)\s*/, "");
}

/** A score as the server's code lens writes it: one decimal when that is exact, else two (18.75, 25.0). */
function lensNumber(score: number): string {
  return Math.abs(Math.round(score * 10) - score * 10) < 1e-9 ? score.toFixed(1) : score.toFixed(2);
}

/** "Readiness 18.8 Significant Work Required": what `shipready check` says of the workspace, as the status bar writes it. */
function expectedStatus(workspace: string): string {
  const report = checkReport(workspace);
  return `Readiness ${(Math.round(report.overall * 10) / 10).toFixed(1)} ${report.band}`;
}

/** Runs a command from the command palette by its title. */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press("F1");
  await page.keyboard.type(title);
  await expectVisible(page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first(), `the command "${title}"`, 10000);
  await page.keyboard.press("Enter");
}

/** Puts the cursor on a 1-based line of the active editor and applies the health-endpoint quick fix there. */
async function applyHealthQuickFix(page: Page, line: number): Promise<void> {
  await goToLine(page, line);
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

/** Puts the cursor at the start of a 1-based line with Go to Line, and checks the status bar says so. */
async function goToLine(page: Page, line: number): Promise<void> {
  await page.locator(".editor-group-container.active .monaco-editor textarea.inputarea").first().focus();
  await page.keyboard.press("Control+G");
  await expectVisible(page.locator(".quick-input-widget input").first(), "the Go to Line box", 10000);
  await page.keyboard.type(`${line}:1`);
  await page.keyboard.press("Enter");
  await expectVisible(page.locator(".statusbar-item", { hasText: `Ln ${line}, Col 1` }).first(), `the cursor on line ${line}`, 10000);
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
    // The client/server traffic lands in the shipready output channel, kept as a test artifact.
    "shipready.trace.server": "verbose",
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

/** Copies the extension's output channel (its log and the LSP trace) into the artifacts. */
function keepOutputChannel(): void {
  if (tmpDir === undefined) {
    return;
  }
  const logs = path.join(tmpDir, "user-data", "logs");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (/shipready\.log$/.test(entry.name) || entry.name === "remoteexthost.log") {
        found.push(full);
      }
    }
  };
  try {
    walk(logs);
  } catch {
    return;
  }
  for (const file of found) {
    fs.copyFileSync(file, path.join(ARTIFACTS, path.basename(file).replace(/^\d+-/, "output-")));
  }
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
  keepOutputChannel();
  if (tmpDir !== undefined && process.env.E2E_KEEP_TMP === undefined) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
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
