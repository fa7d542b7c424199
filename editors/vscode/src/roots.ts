/**
 * Workspace folder identity across the protocol boundary: the server names a folder by a URI that may differ
 * from VS Code's own spelling of it (a trailing slash, percent-encoding, a drive letter's case), so scores are
 * keyed by a normalized form of the URI.
 */
import { fileURLToPath } from "node:url";

/** A canonical key for a workspace folder URI: its file system path for `file:` URIs, without a trailing separator. */
export function rootKey(uri: string): string {
  let key = uri;
  if (uri.startsWith("file:")) {
    try {
      key = fileURLToPath(uri);
    } catch {
      key = decodeURIComponent(uri.slice("file://".length));
    }
  }
  key = key.replace(/[\\/]+$/, "");
  // Windows drive letters come as `c:` from VS Code and `C:` from other writers.
  return /^[a-zA-Z]:/.test(key) ? key[0]!.toLowerCase() + key.slice(1) : key;
}
