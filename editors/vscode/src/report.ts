/**
 * The readiness report webview's HTML, rendered from the report JSON the server returns for the
 * `shipready.report` command (the `shipready check --format json` schema). A workspace of several deployable
 * units gets the list of units, then a section per unit with its category bars and gaps; the files set aside as
 * not production are listed last. Pure string building so the escaping and grouping are unit-tested; every value
 * from the report goes through `escapeHtml`.
 */
import { bandId, formatScore } from "./format";

export interface Report {
  root?: string;
  profile?: string;
  overall: number;
  band: string;
  categories: ReportCategory[];
  findings: ReportFinding[];
  /** The deployable units, each scored on its own; the report's `overall` is their mean. */
  units?: ReportUnit[];
  /** Files left out of every unit (a dev container, an archived image), with why. */
  set_aside?: SetAsideFile[];
}

export interface ReportUnit {
  name: string;
  /** The unit's folder, relative to the workspace folder; "" for the folder itself. */
  root: string;
  kinds?: string[];
  overall: number;
  band: string;
  categories: ReportCategory[];
  findings: ReportFinding[];
}

export interface SetAsideFile {
  path: string;
  role?: string;
  reason?: string;
}

export interface ReportCategory {
  id: string;
  title: string;
  score: number | null;
  passed?: boolean;
  details?: string;
  checks?: { code: string; title?: string; status?: string; points?: number }[];
}

export interface ReportFinding {
  code: string;
  /** The name of the deployable unit whose score the gap costs. */
  unit?: string;
  name?: string;
  category?: string;
  severity: string;
  file: string | null;
  range: { start: { line: number; column: number }; end: { line: number; column: number } } | null;
  message: string;
  points: number;
  recommendation?: string;
}

/** A request from the webview to open a file at a 1-based line and UTF-16 column. */
export interface OpenLocation {
  file: string;
  line: number;
  column: number;
}

export interface RenderOptions {
  /** The webview's `cspSource`, allowed for styles. */
  cspSource: string;
  /** A fresh random nonce for the inline style and script. */
  nonce: string;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * The report's units when it has several (as the server scores them separately only then), else undefined: a
 * workspace of one unit reads as it did before units existed.
 */
export function reportUnits(report: Report): ReportUnit[] | undefined {
  const units = (report.units ?? []).filter(isUnit);
  return units.length > 1 ? units : undefined;
}

function isUnit(value: unknown): value is ReportUnit {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const u = value as Record<string, unknown>;
  return (
    typeof u.name === "string" &&
    typeof u.overall === "number" &&
    typeof u.band === "string" &&
    Array.isArray(u.categories) &&
    Array.isArray(u.findings)
  );
}

/** "api (image)", or the name alone. */
export function unitLabel(unit: Pick<ReportUnit, "name" | "kinds">): string {
  const kinds = (unit.kinds ?? []).filter((k) => typeof k === "string");
  return kinds.length > 0 ? `${unit.name} (${kinds.join(", ")})` : unit.name;
}

/** Groups findings under their category, in the report's category order; unknown categories last. */
export function groupFindings(
  report: Pick<Report, "categories" | "findings">,
): { category: ReportCategory; findings: ReportFinding[] }[] {
  const groups = report.categories.map((category) => ({ category, findings: [] as ReportFinding[] }));
  const byId = new Map(groups.map((g) => [g.category.id, g]));
  for (const finding of report.findings) {
    const id = finding.category ?? categoryOfCode(finding.code, report);
    let group = id === undefined ? undefined : byId.get(id);
    if (group === undefined) {
      const other = { id: id ?? "other", title: id ?? "Other", score: null };
      group = { category: other, findings: [] };
      byId.set(other.id, group);
      groups.push(group);
    }
    group.findings.push(finding);
  }
  for (const group of groups) {
    // The costliest gaps first: that is the order in which fixing them pays.
    group.findings.sort((a, b) => b.points - a.points || a.code.localeCompare(b.code));
  }
  return groups;
}

function categoryOfCode(code: string, report: Pick<Report, "categories">): string | undefined {
  for (const category of report.categories) {
    if ((category.checks ?? []).some((check) => check.code === code)) {
      return category.id;
    }
  }
  return undefined;
}

export function renderReportHtml(report: Report, options: RenderOptions): string {
  const nonce = escapeHtml(options.nonce);
  const band = bandId(report.band, report.overall);
  const units = reportUnits(report);
  const body =
    units === undefined
      ? `<section class="categories">
<h2>Categories</h2>
${report.categories.map(renderCategoryBar).join("\n")}
</section>
${renderGaps(report, "h2")}`
      : `<p class="mean">The mean of ${units.length} deployable units.</p>
<section class="units">
<h2>Units (${units.length})</h2>
${units.map(renderUnitRow).join("\n")}
</section>
${units.map(renderUnit).join("\n")}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${escapeHtml(options.cspSource)} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Readiness Report</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header class="overall band-${band}">
  <div class="score" data-testid="overall">${escapeHtml(formatScore(report.overall))}<span class="of">/100</span></div>
  <div class="band">${escapeHtml(report.band)}</div>
  ${report.profile !== undefined ? `<div class="profile">profile: ${escapeHtml(report.profile)}</div>` : ""}
</header>
${body}
${renderSetAside(report.set_aside ?? [])}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

function renderGaps(report: Pick<Report, "categories" | "findings">, heading: "h2" | "h3"): string {
  const gapGroups = groupFindings(report)
    .filter((g) => g.findings.length > 0)
    .map(renderGapGroup)
    .join("\n");
  const gapCount = report.findings.length;
  return `<section class="gaps">
<${heading}>Gaps (${gapCount})</${heading}>
${gapCount === 0 ? '<p class="none">No readiness gaps: nothing to fix.</p>' : gapGroups}
</section>`;
}

/** A unit's line in the list of units: its name and kinds, a bar, its score, band and number of gaps. */
function renderUnitRow(unit: ReportUnit): string {
  const width = Math.max(0, Math.min(100, unit.overall));
  const state = stateOf(unit.overall);
  const gaps = unit.findings.length;
  return `<div class="unit-row" data-unit="${escapeHtml(unit.name)}">
  <div class="label"><span class="title">${escapeHtml(unitLabel(unit))}</span><span class="value">${escapeHtml(formatScore(unit.overall))} ${escapeHtml(unit.band)}, ${gaps} gap${gaps === 1 ? "" : "s"}</span></div>
  <div class="bar" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${width}" aria-label="${escapeHtml(unit.name)}"><div class="fill ${state}" data-score="${width}"></div></div>
</div>`;
}

/** A unit's section: its score and band, a bar per category and its gaps. */
function renderUnit(unit: ReportUnit): string {
  const band = bandId(unit.band, unit.overall);
  return `<section class="unit band-${band}" data-unit="${escapeHtml(unit.name)}">
<h2>Unit ${escapeHtml(unitLabel(unit))} <span class="value" data-testid="unit-overall">${escapeHtml(formatScore(unit.overall))}/100</span> <span class="band">${escapeHtml(unit.band)}</span></h2>
${unit.root !== "" ? `<div class="unit-root">${escapeHtml(unit.root)}/</div>` : ""}
<div class="categories">
${unit.categories.map(renderCategoryBar).join("\n")}
</div>
${renderGaps(unit, "h3")}
</section>`;
}

function renderSetAside(files: SetAsideFile[]): string {
  const valid = files.filter((f) => typeof f === "object" && f !== null && typeof f.path === "string" && f.path !== "");
  if (valid.length === 0) {
    return "";
  }
  const items = valid
    .map((f) => {
      const reason = f.reason ?? f.role;
      return `<li class="set-aside-file">${renderLink(f.path, 1, 1, f.path)}${reason !== undefined ? ` <span class="reason">${escapeHtml(reason)}</span>` : ""}</li>`;
    })
    .join("\n");
  return `<section class="set-aside">
<h2>Set aside, not production (${valid.length})</h2>
<ul>
${items}
</ul>
</section>`;
}

function stateOf(score: number): "good" | "fair" | "poor" {
  return score >= 80 ? "good" : score >= 50 ? "fair" : "poor";
}

function renderCategoryBar(category: ReportCategory): string {
  const score = category.score;
  // The bar width is set by the script from data-score: the CSP forbids inline style attributes.
  const width = score === null ? 0 : Math.max(0, Math.min(100, score));
  const state = score === null ? "na" : stateOf(score);
  return `<div class="category" data-category="${escapeHtml(category.id)}">
  <div class="label"><span class="title">${escapeHtml(category.title)}</span><span class="value">${escapeHtml(formatScore(score))}</span></div>
  <div class="bar" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${width}" aria-label="${escapeHtml(category.title)}"><div class="fill ${state}" data-score="${width}"></div></div>
</div>`;
}

function renderGapGroup(group: { category: ReportCategory; findings: ReportFinding[] }): string {
  const items = group.findings.map(renderFinding).join("\n");
  return `<div class="gap-group" data-category="${escapeHtml(group.category.id)}">
<h3>${escapeHtml(group.category.title)} <span class="value">${escapeHtml(formatScore(group.category.score))}</span></h3>
<ul>
${items}
</ul>
</div>`;
}

function renderFinding(finding: ReportFinding): string {
  const where =
    finding.file === null
      ? '<span class="where">workspace</span>'
      : renderLink(finding.file, finding.range?.start.line ?? 1, finding.range?.start.column ?? 1);
  return `<li class="gap severity-${escapeHtml(finding.severity.toLowerCase())}">
  <div class="head"><span class="code">${escapeHtml(finding.code)}</span> <span class="severity">${escapeHtml(finding.severity)}</span> ${where} <span class="points">+${escapeHtml(formatScore(finding.points))} points</span></div>
  <div class="message">${escapeHtml(finding.message)}</div>
  ${finding.recommendation !== undefined ? `<div class="recommendation">${escapeHtml(finding.recommendation)}</div>` : ""}
</li>`;
}

function renderLink(file: string, line: number, column: number, text = `${file}:${line}`): string {
  return `<a href="#" class="where" data-file="${escapeHtml(file)}" data-line="${line}" data-column="${column}">${escapeHtml(text)}</a>`;
}

/** True for a value shaped like the `shipready.report` result (the fields the report page reads). */
export function isReport(value: unknown): value is Report {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const r = value as Record<string, unknown>;
  return (
    typeof r.overall === "number" && typeof r.band === "string" && Array.isArray(r.categories) && Array.isArray(r.findings)
  );
}

/** Validates a message posted by the webview; anything else is ignored. */
export function parseOpenMessage(message: unknown): OpenLocation | undefined {
  if (typeof message !== "object" || message === null) {
    return undefined;
  }
  const m = message as Record<string, unknown>;
  if (m.type !== "open" || typeof m.file !== "string" || m.file === "") {
    return undefined;
  }
  const line = Number(m.line);
  const column = Number(m.column);
  return {
    file: m.file,
    line: Number.isInteger(line) && line >= 1 ? line : 1,
    column: Number.isInteger(column) && column >= 1 ? column : 1,
  };
}

const SCRIPT = `
const vscode = acquireVsCodeApi();
for (const fill of document.querySelectorAll('.fill[data-score]')) {
  fill.style.width = fill.dataset.score + '%';
}
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-file]');
  if (!link) { return; }
  event.preventDefault();
  vscode.postMessage({ type: 'open', file: link.dataset.file, line: Number(link.dataset.line), column: Number(link.dataset.column) });
});
`;

const STYLE = `
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 16px 24px; max-width: 900px; }
h2 { font-size: 1.1em; margin: 1.4em 0 .6em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .2em; }
h3 { font-size: 1em; margin: 1em 0 .4em; }
.overall { display: flex; align-items: baseline; gap: 16px; margin-top: 16px; }
.overall .score { font-size: 2.6em; font-weight: 600; }
.overall .of { font-size: .45em; opacity: .7; }
.overall .band { font-size: 1.3em; }
.overall .profile { opacity: .7; }
.band-production-ready .band { color: var(--vscode-testing-iconPassed, #3fb950); }
.band-almost-ready .band { color: var(--vscode-editorWarning-foreground, #d29922); }
.band-significant-work-required .band { color: var(--vscode-editorError-foreground, #f85149); }
.category, .unit-row { margin: 8px 0; }
.category .label, .unit-row .label { display: flex; justify-content: space-between; }
.mean { opacity: .8; margin: .4em 0 0; }
.unit { margin-top: 1.6em; }
.unit h2 .value { font-weight: 600; opacity: 1; }
.unit h2 .band { font-weight: normal; font-size: .9em; }
.unit-root { opacity: .7; font-family: var(--vscode-editor-font-family); }
.set-aside .reason { opacity: .75; }
.bar { height: 10px; background: var(--vscode-editorWidget-background, #333); border-radius: 5px; overflow: hidden; margin-top: 3px; }
.fill { height: 100%; width: 0; }
.fill.good { background: var(--vscode-testing-iconPassed, #3fb950); }
.fill.fair { background: var(--vscode-editorWarning-foreground, #d29922); }
.fill.poor { background: var(--vscode-editorError-foreground, #f85149); }
.value { opacity: .8; font-variant-numeric: tabular-nums; }
ul { list-style: none; padding: 0; margin: 0; }
.gap { padding: 6px 8px; margin: 4px 0; border-left: 3px solid var(--vscode-panel-border); }
.gap.severity-critical, .gap.severity-high { border-left-color: var(--vscode-editorError-foreground, #f85149); }
.gap.severity-medium { border-left-color: var(--vscode-editorWarning-foreground, #d29922); }
.gap .code { font-family: var(--vscode-editor-font-family); font-weight: 600; }
.gap .severity { font-size: .85em; opacity: .75; }
.gap .points { float: right; opacity: .85; }
.gap .message { margin-top: 2px; }
.gap .recommendation { margin-top: 2px; opacity: .75; }
a.where { color: var(--vscode-textLink-foreground); }
`;
