// The report webview's HTML: every report value is escaped, categories get bars, gaps are grouped by
// category (costliest first) and link to file:line, a workspace of several units gets a section per unit, and
// set-aside files are listed; messages from the webview are validated.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { escapeHtml, groupFindings, parseOpenMessage, renderReportHtml, Report, reportUnits, unitLabel } from "../../src/report";

const OPTIONS = { cspSource: "vscode-webview://abc", nonce: "n0nce" };

function report(): Report {
  return {
    root: "/work/app",
    profile: "seed",
    overall: 86,
    band: "Production Ready",
    categories: [
      { id: "docker", title: "Docker Images and Containerization", score: 50, checks: [{ code: "DK002" }, { code: "DK003" }] },
      { id: "cdk", title: "AWS CDK Infrastructure Code", score: null },
      { id: "health", title: "Health Check Endpoints", score: 80, checks: [{ code: "HC003" }] },
    ],
    findings: [
      {
        code: "DK002",
        category: "docker",
        severity: "MEDIUM",
        file: "Dockerfile",
        range: { start: { line: 2, column: 1 }, end: { line: 2, column: 9 } },
        message: "No compose file.",
        points: 5,
      },
      {
        code: "HC003",
        severity: "HIGH",
        file: "backend/main.py",
        range: { start: { line: 4, column: 1 }, end: { line: 4, column: 40 } },
        message: "The main application `app` has no <health> endpoint & \"more\"",
        points: 4,
      },
      {
        code: "DK003",
        category: "docker",
        severity: "MEDIUM",
        file: null,
        range: null,
        message: "Single-stage build.",
        points: 6,
      },
    ],
  };
}

test("escapeHtml escapes the five HTML-significant characters", () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
});

test("report text cannot inject markup", () => {
  const r = report();
  r.findings[0]!.message = "<script>alert(1)</script>";
  r.categories[0]!.title = `"><img src=x onerror=alert(1)>`;
  r.findings[1]!.file = `a"onmouseover="x.py`;
  const html = renderReportHtml(r, OPTIONS);
  assert.ok(!html.includes("<script>alert(1)</script>"));
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(!html.includes("<img"));
  assert.ok(!html.includes(`data-file="a"onmouseover`));
  assert.ok(html.includes("The main application `app` has no &lt;health&gt; endpoint &amp; &quot;more&quot;"));
});

test("the page allows only nonce'd scripts and styles", () => {
  const html = renderReportHtml(report(), OPTIONS);
  assert.match(html, /default-src 'none'; style-src vscode-webview:\/\/abc 'nonce-n0nce'; script-src 'nonce-n0nce';/);
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.deepEqual(scripts, ['<script nonce="n0nce">']);
  // No inline style attributes: the CSP would block them.
  assert.ok(!/ style="/.test(html));
});

test("the overall score, band and one bar per category are shown", () => {
  const html = renderReportHtml(report(), OPTIONS);
  assert.match(html, /data-testid="overall">86\.0<span class="of">\/100/);
  assert.match(html, /<div class="band">Production Ready<\/div>/);
  assert.match(html, /class="overall band-production-ready"/);
  const bars = html.match(/class="fill [a-z]+" data-score="[0-9.]+"/g);
  assert.deepEqual(bars, ['class="fill fair" data-score="50"', 'class="fill na" data-score="0"', 'class="fill good" data-score="80"']);
  assert.match(html, /AWS CDK Infrastructure Code<\/span><span class="value">n\/a/);
});

test("gaps are grouped by category, costliest first, with categories found from the checks", () => {
  const groups = groupFindings(report()).map((g) => [g.category.id, g.findings.map((f) => f.code)]);
  assert.deepEqual(groups, [
    ["docker", ["DK003", "DK002"]],
    ["cdk", []],
    ["health", ["HC003"]],
  ]);
});

test("a finding in an unknown category gets its own group rather than vanishing", () => {
  const r = report();
  r.findings.push({ code: "ZZ001", category: "future", severity: "LOW", file: null, range: null, message: "m", points: 1 });
  const last = groupFindings(r).at(-1);
  assert.equal(last?.category.id, "future");
  assert.deepEqual(last?.findings.map((f) => f.code), ["ZZ001"]);
});

test("gaps link to file:line, workspace-level gaps do not", () => {
  const html = renderReportHtml(report(), OPTIONS);
  assert.match(html, /<a href="#" class="where" data-file="backend\/main.py" data-line="4" data-column="1">backend\/main.py:4<\/a>/);
  assert.match(html, /<a href="#" class="where" data-file="Dockerfile" data-line="2" data-column="1">Dockerfile:2<\/a>/);
  assert.match(html, /<span class="code">DK003<\/span> <span class="severity">MEDIUM<\/span> <span class="where">workspace<\/span>/);
  assert.match(html, /\+4\.0 points/);
  assert.match(html, /Gaps \(3\)/);
  // Empty groups are not rendered.
  assert.ok(!html.includes('class="gap-group" data-category="cdk"'));
});

test("a report with no gaps says so", () => {
  const r = report();
  r.findings = [];
  assert.match(renderReportHtml(r, OPTIONS), /No readiness gaps/);
});

test("open messages from the webview are validated", () => {
  assert.deepEqual(parseOpenMessage({ type: "open", file: "app/main.py", line: 4, column: 2 }), { file: "app/main.py", line: 4, column: 2 });
  assert.deepEqual(parseOpenMessage({ type: "open", file: "a.py", line: -3, column: "x" }), { file: "a.py", line: 1, column: 1 });
  assert.equal(parseOpenMessage({ type: "open", file: "" }), undefined);
  assert.equal(parseOpenMessage({ type: "exec", file: "a.py" }), undefined);
  assert.equal(parseOpenMessage("open"), undefined);
});

/** units-two's shape: three units, each with its own categories and gaps, and two files set aside. */
function unitsReport(): Report {
  const gap = (code: string, unit: string, file: string, category: string, points: number) => ({
    code,
    unit,
    category,
    severity: "MEDIUM",
    file,
    range: { start: { line: 3, column: 1 }, end: { line: 3, column: 9 } },
    message: `${code} in ${unit}`,
    points,
  });
  const api = [gap("HC001", "api", "api/app/main.py", "health", 6.25), gap("DK002", "api", "api/Dockerfile", "docker", 6.25)];
  const billing = [gap("CD003", "billing", "billing/app.py", "cdk", 4.76)];
  return {
    root: "/work/units",
    overall: 36.41,
    band: "Significant Work Required",
    categories: [{ id: "docker", title: "Docker Images and Containerization", score: 70.84 }],
    findings: [...api, ...billing],
    units: [
      {
        name: "api",
        root: "api",
        kinds: ["image"],
        overall: 18.75,
        band: "Significant Work Required",
        categories: [
          { id: "docker", title: "Docker Images and Containerization", score: 75 },
          { id: "health", title: "Health Check Endpoints", score: 0 },
        ],
        findings: api,
      },
      {
        name: "billing",
        root: "billing",
        kinds: ["cdk"],
        overall: 23.81,
        band: "Significant Work Required",
        categories: [{ id: "cdk", title: "AWS CDK Infrastructure Code", score: 71.43 }],
        findings: billing,
      },
      { name: "tools/reportgen", root: "tools/reportgen", kinds: ["image"], overall: 86, band: "Production Ready", categories: [], findings: [] },
    ],
    set_aside: [
      { path: ".devcontainer/Dockerfile", role: "development", reason: "in a development folder (.devcontainer/)" },
      { path: "archived/old-api/Dockerfile", role: "archived", reason: "in a archived folder (archived/)" },
    ],
  };
}

/** The HTML of one unit's section. */
function unitSection(html: string, name: string): string {
  const start = html.indexOf(`<section class="unit `);
  const at = html.indexOf(`data-unit="${name}">\n<h2>`, start);
  assert.ok(at >= 0, `a section for unit ${name}`);
  const end = html.indexOf("</section>\n</section>", at);
  return html.slice(at, end);
}

test("a report of several units lists them with their scores, then a section per unit", () => {
  const html = renderReportHtml(unitsReport(), OPTIONS);
  assert.match(html, /data-testid="overall">36\.4<span class="of">\/100/);
  assert.match(html, /The mean of 3 deployable units\./);
  assert.match(html, /<h2>Units \(3\)<\/h2>/);
  const rows = html.match(/class="unit-row" data-unit="[^"]+"/g);
  assert.deepEqual(rows, ['class="unit-row" data-unit="api"', 'class="unit-row" data-unit="billing"', 'class="unit-row" data-unit="tools/reportgen"']);
  assert.match(html, /api \(image\)<\/span><span class="value">18\.8 Significant Work Required, 2 gaps/);
  assert.match(html, /billing \(cdk\)<\/span><span class="value">23\.8 Significant Work Required, 1 gap</);
  const sections = html.match(/<section class="unit band-[a-z-]+" data-unit="[^"]+">/g);
  assert.deepEqual(sections, [
    '<section class="unit band-significant-work-required" data-unit="api">',
    '<section class="unit band-significant-work-required" data-unit="billing">',
    '<section class="unit band-production-ready" data-unit="tools/reportgen">',
  ]);
  // The folder-wide category means are not shown: each unit has its own.
  assert.ok(!html.includes("<h2>Categories</h2>"));
});

test("each unit's section has its own category bars and only its own gaps", () => {
  const html = renderReportHtml(unitsReport(), OPTIONS);
  const api = unitSection(html, "api");
  assert.match(api, /<h2>Unit api \(image\) <span class="value" data-testid="unit-overall">18\.8\/100<\/span>/);
  assert.deepEqual(api.match(/class="category" data-category="[a-z]+"/g), ['class="category" data-category="docker"', 'class="category" data-category="health"']);
  assert.match(api, /<h3>Gaps \(2\)<\/h3>/);
  assert.match(api, /data-file="api\/app\/main.py" data-line="3"/);
  assert.ok(!api.includes("CD003"), "billing's gap is not under api");
  const billing = unitSection(html, "billing");
  assert.match(billing, /CD003/);
  assert.ok(!billing.includes("HC001"));
  assert.match(unitSection(html, "tools/reportgen"), /No readiness gaps/);
});

test("set-aside files are listed with their reason and open on click", () => {
  const html = renderReportHtml(unitsReport(), OPTIONS);
  assert.match(html, /<h2>Set aside, not production \(2\)<\/h2>/);
  assert.match(
    html,
    /<li class="set-aside-file"><a href="#" class="where" data-file="\.devcontainer\/Dockerfile" data-line="1" data-column="1">\.devcontainer\/Dockerfile<\/a> <span class="reason">in a development folder \(\.devcontainer\/\)<\/span><\/li>/,
  );
  assert.match(html, /data-file="archived\/old-api\/Dockerfile"/);
  // A single-unit report lists them too, and has no unit sections.
  const single = report();
  single.set_aside = [{ path: "archived/Dockerfile", reason: "in a archived folder (archived/)" }];
  const singleHtml = renderReportHtml(single, OPTIONS);
  assert.match(singleHtml, /Set aside, not production \(1\)/);
  assert.ok(!singleHtml.includes('class="unit'));
  assert.ok(!renderReportHtml(report(), OPTIONS).includes("Set aside"));
});

test("unit names, kinds and set-aside reasons are escaped", () => {
  const r = unitsReport();
  r.units![0]!.name = "<img src=x>";
  r.units![0]!.kinds = ['"><script>'];
  r.set_aside![0]!.reason = "<b>dev</b>";
  const html = renderReportHtml(r, OPTIONS);
  assert.ok(!html.includes("<img"));
  assert.ok(!html.includes('"><script>'));
  assert.ok(!html.includes("<b>dev</b>"));
  assert.ok(!/ style="/.test(html));
});

test("a workspace of one unit renders as before units existed", () => {
  const single = report();
  const before = renderReportHtml(single, OPTIONS);
  single.units = [{ name: ".", root: "", kinds: ["image"], overall: 86, band: "Production Ready", categories: single.categories, findings: single.findings }];
  assert.equal(renderReportHtml(single, OPTIONS), before);
  assert.equal(reportUnits(single), undefined);
  assert.equal(reportUnits(unitsReport())?.length, 3);
  assert.equal(unitLabel({ name: "api", kinds: ["image", "compose"] }), "api (image, compose)");
  assert.equal(unitLabel({ name: "api" }), "api");
});
