/**
 * The scores the server announced, and which one the status bar shows. A workspace folder has its score, and
 * in a folder of several deployable units each unit has one too, named by the unit's folder (`root`): the score
 * of a file is the one whose root is the deepest folder holding it, so a file of the API shows the API's score
 * and a file of no unit (a top-level README) the folder's. Pure, so the picking is unit-tested without VS Code.
 */
import { ScoreSummary } from "./format";
import { Report, reportUnits } from "./report";
import { rootKey } from "./roots";

export class ScoreBook {
  /** The latest score per root (keyed by `rootKey`; "" when the server names no root). */
  private readonly byRoot = new Map<string, ScoreSummary>();

  /** Records a score, replacing the previous one for the same root. */
  set(summary: ScoreSummary): void {
    this.byRoot.set(summary.root === undefined ? "" : rootKey(summary.root), summary);
  }

  /** True when a score for this root (a folder's or a unit's URI) was received. */
  has(root: string): boolean {
    return this.byRoot.has(rootKey(root));
  }

  clear(): void {
    this.byRoot.clear();
  }

  get size(): number {
    return this.byRoot.size;
  }

  /**
   * The score to show for a document (its URI, or undefined when no file is active) in a workspace folder (its
   * URI): the deepest root holding the document, else the folder's score, else the score the server gave without
   * a root, else a folder's score rather than a unit's, else any.
   */
  pick(document: string | undefined, folder: string | undefined): ScoreSummary | undefined {
    if (document !== undefined) {
      const file = rootKey(document);
      let best: ScoreSummary | undefined;
      let bestLength = -1;
      for (const [key, summary] of this.byRoot) {
        if (key !== "" && contains(key, file) && key.length > bestLength) {
          best = summary;
          bestLength = key.length;
        }
      }
      if (best !== undefined) {
        return best;
      }
    }
    const own = folder === undefined ? undefined : this.byRoot.get(rootKey(folder));
    if (own !== undefined) {
      return own;
    }
    const unnamed = this.byRoot.get("");
    if (unnamed !== undefined) {
      return unnamed;
    }
    let any: ScoreSummary | undefined;
    for (const summary of this.byRoot.values()) {
      if (summary.unit === undefined) {
        return summary;
      }
      any ??= summary;
    }
    return any;
  }
}

/** True when `path` is the folder `root` or lies under it (`/w/api` holds `/w/api/main.py`, not `/w/apiary`). */
export function contains(root: string, path: string): boolean {
  if (path === root) {
    return true;
  }
  if (!path.startsWith(root)) {
    return false;
  }
  const next = path[root.length];
  return next === "/" || next === "\\";
}

/**
 * The scores a `shipready.report` result holds for a workspace folder (its URI), as the server would announce
 * them: the folder's, and with several units each unit's, rooted at the unit's folder.
 */
export function scoresOfReport(report: Report, folder: string): ScoreSummary[] {
  const scores: ScoreSummary[] = [{ root: folder, overall: report.overall, band: report.band, categories: report.categories }];
  for (const unit of reportUnits(report) ?? []) {
    // A unit at the folder's root shares the folder's URI, which names the folder's score.
    if (unit.root === "") {
      continue;
    }
    scores.push({
      root: unitRoot(folder, unit.root),
      unit: unit.name,
      overall: unit.overall,
      band: unit.band,
      categories: unit.categories,
    });
  }
  return scores;
}

/** The URI of a unit's folder ("api", "tools/reportgen") in a workspace folder. */
export function unitRoot(folder: string, root: string): string {
  const segments = root.split("/").filter((s) => s !== "" && s !== ".");
  return [folder.replace(/\/+$/, ""), ...segments.map(encodeURIComponent)].join("/");
}
