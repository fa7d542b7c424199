// The report webview's HTML: every report value is escaped, categories get bars, gaps are grouped by
// category (costliest first) and link to file:line; messages from the webview are validated.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { escapeHtml, groupFindings, parseOpenMessage, renderReportHtml, Report } from "../../src/report";

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
