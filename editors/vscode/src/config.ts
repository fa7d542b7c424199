/**
 * The server options the extension sends as `initializationOptions` and in
 * `workspace/didChangeConfiguration`: the `shipready.*` settings, validated so a hand-edited
 * settings.json with a typo sends the server's defaults instead of garbage.
 */

export type Profile = "standard" | "seed";
export type SeverityName = "error" | "warning" | "information" | "hint" | "off";

export interface ServerOptions {
  profile: Profile;
  severities: Record<string, SeverityName>;
}

const SEVERITIES: readonly SeverityName[] = ["error", "warning", "information", "hint", "off"];

/** Reads the options through a settings getter (`workspace.getConfiguration("shipready").get`). */
export function serverOptions(get: (key: string) => unknown): ServerOptions {
  const profile = get("profile") === "seed" ? "seed" : "standard";
  const severities: Record<string, SeverityName> = {};
  const raw = get("severities");
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      const name = typeof value === "string" ? value.trim().toLowerCase() : "";
      // "info" is what people type; the setting's schema says "information".
      const normalized = name === "info" ? "information" : name;
      if ((SEVERITIES as readonly string[]).includes(normalized)) {
        severities[key.trim()] = normalized as SeverityName;
      }
    }
  }
  return { profile, severities };
}
