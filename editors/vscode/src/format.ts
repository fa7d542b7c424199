/**
 * How scores and bands are written in the status bar, its tooltip and the report: one decimal like the
 * server's hovers ("72.0 Almost Ready"), and a codicon per band so the state reads at a glance.
 */

/** The payload of the server's `shipready/score` notification (see docs/lsp.md). */
export interface ScoreSummary {
  /**
   * The workspace folder's URI the score is for (multi-root workspaces get one notification per folder), or, for
   * a deployable unit's score, the unit's folder.
   */
  root?: string;
  /** The deployable unit's name ("api", "tools/reportgen") when the score is one unit's; absent for a folder's. */
  unit?: string;
  overall: number;
  band: string;
  categories: CategoryScore[];
}

export interface CategoryScore {
  id: string;
  title: string;
  /** Null when no check of the category applies (standard profile). */
  score: number | null;
}

export type BandId = "production-ready" | "almost-ready" | "significant-work-required";

/** A score with one decimal; "n/a" for a category that does not apply. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) {
    return "n/a";
  }
  // Round half up at one decimal the way the server prints it, and never print "-0.0".
  const rounded = Math.round(score * 10) / 10;
  return (rounded === 0 ? 0 : rounded).toFixed(1);
}

/** The band for a band title from the server, falling back to the score thresholds of the model. */
export function bandId(band: string | undefined, overall: number): BandId {
  const normalized = (band ?? "").trim().toLowerCase().replace(/[\s_]+/g, "-");
  if (normalized === "production-ready" || normalized === "almost-ready" || normalized === "significant-work-required") {
    return normalized;
  }
  if (overall >= 80) {
    return "production-ready";
  }
  return overall >= 60 ? "almost-ready" : "significant-work-required";
}

const BAND_ICONS: Record<BandId, string> = {
  "production-ready": "$(pass)",
  "almost-ready": "$(warning)",
  "significant-work-required": "$(error)",
};

/**
 * The status bar text, e.g. "$(warning) Readiness 72.0 Almost Ready"; a deployable unit's score ends with the
 * unit's name, as the code lens does: "$(error) Readiness 18.8 Significant Work Required · api".
 */
export function statusBarText(summary: Pick<ScoreSummary, "overall" | "band" | "unit">): string {
  const id = bandId(summary.band, summary.overall);
  const unit = summary.unit !== undefined ? ` · ${summary.unit}` : "";
  return `${BAND_ICONS[id]} Readiness ${formatScore(summary.overall)} ${summary.band}${unit}`;
}

/** The status bar tooltip: the overall score (and whose it is, for a unit), then one line per category. */
export function statusBarTooltip(summary: ScoreSummary): string {
  const whose = summary.unit !== undefined ? `unit ${summary.unit}, ` : "";
  const lines = [`shipready: ${whose}${formatScore(summary.overall)}/100, ${summary.band}`, ""];
  for (const category of summary.categories) {
    lines.push(`${category.title}: ${formatScore(category.score)}`);
  }
  lines.push("", "Click to open the readiness report.");
  return lines.join("\n");
}

/** Reads a `shipready/score` payload defensively: a malformed one is ignored rather than shown. */
export function parseScoreSummary(value: unknown): ScoreSummary | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.overall !== "number" || typeof record.band !== "string") {
    return undefined;
  }
  const categories: CategoryScore[] = [];
  if (Array.isArray(record.categories)) {
    for (const item of record.categories) {
      if (typeof item !== "object" || item === null) {
        continue;
      }
      const c = item as Record<string, unknown>;
      if (typeof c.id !== "string") {
        continue;
      }
      categories.push({
        id: c.id,
        title: typeof c.title === "string" ? c.title : c.id,
        score: typeof c.score === "number" ? c.score : null,
      });
    }
  }
  const summary: ScoreSummary = { overall: record.overall, band: record.band, categories };
  if (typeof record.root === "string") {
    summary.root = record.root;
  }
  if (typeof record.unit === "string" && record.unit !== "") {
    summary.unit = record.unit;
  }
  return summary;
}
