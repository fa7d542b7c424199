/**
 * Finds the `shipready` binary the extension starts as its language server: the `shipready.path`
 * setting first, else the binary bundled in the extension (`server/shipready`), else `shipready` on
 * PATH. Pure apart from the injected file check, so every branch is unit-tested without VS Code.
 */
import * as path from "node:path";

/** Where a resolved binary came from; shown in the output channel and in error messages. */
export type BinarySource = "setting" | "bundled" | "PATH";

export type Resolution =
  | { kind: "found"; path: string; source: BinarySource }
  | { kind: "missing"; tried: string[]; message: string };

export interface ResolveInput {
  /** The `shipready.path` setting, possibly empty. */
  configuredPath: string | undefined;
  /** The extension's install folder (`context.extensionPath`). */
  extensionPath: string;
  /** The PATH environment variable of the extension host. */
  envPath: string | undefined;
  /** The PATHEXT environment variable (Windows only). */
  envPathExt?: string | undefined;
  platform: NodeJS.Platform;
  /** The user's home directory, for a `~/` in the setting. */
  homeDir: string;
  /** The first workspace folder, for a relative or `${workspaceFolder}` setting. */
  workspaceFolder?: string | undefined;
  /** True when the path names an executable regular file. */
  isExecutable: (file: string) => boolean;
}

/** The binary's file name on this platform. */
export function binaryName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "shipready.exe" : "shipready";
}

/** The path of the binary bundled inside the extension folder. */
export function bundledBinaryPath(extensionPath: string, platform: NodeJS.Platform): string {
  return pathFor(platform).join(extensionPath, "server", binaryName(platform));
}

export function resolveServerBinary(input: ResolveInput): Resolution {
  const p = pathFor(input.platform);
  const configured = (input.configuredPath ?? "").trim();
  // An explicit setting that does not work is an error of its own: silently falling back to another
  // binary would hide the typo and run a version the user did not choose.
  if (configured !== "") {
    const file = expandSetting(configured, input);
    if (input.isExecutable(file)) {
      return { kind: "found", path: file, source: "setting" };
    }
    return {
      kind: "missing",
      tried: [file],
      message: `The shipready.path setting names ${file}, which is not an executable file.`,
    };
  }

  const tried: string[] = [];
  const bundled = bundledBinaryPath(input.extensionPath, input.platform);
  tried.push(bundled);
  if (input.isExecutable(bundled)) {
    return { kind: "found", path: bundled, source: "bundled" };
  }

  const delimiter = input.platform === "win32" ? ";" : ":";
  const extensions =
    input.platform === "win32"
      ? (input.envPathExt ?? ".EXE;.CMD;.BAT").split(";").filter((e) => e !== "")
      : [""];
  for (const dir of (input.envPath ?? "").split(delimiter)) {
    // An empty PATH entry means the current directory, which is the wrong place to pick a binary from
    // in an editor whose working directory is arbitrary.
    if (dir.trim() === "") {
      continue;
    }
    for (const ext of extensions) {
      const candidate = p.join(dir, input.platform === "win32" ? `shipready${ext.toLowerCase()}` : "shipready");
      tried.push(candidate);
      if (input.isExecutable(candidate)) {
        return { kind: "found", path: candidate, source: "PATH" };
      }
    }
  }

  return {
    kind: "missing",
    tried,
    message:
      "The shipready binary was not found: it is not bundled with this extension and not on PATH. " +
      "Install it (cargo install shipready) or set shipready.path.",
  };
}

/** Expands `~` and `${workspaceFolder}` and makes a relative setting relative to the workspace. */
export function expandSetting(value: string, input: Pick<ResolveInput, "platform" | "homeDir" | "workspaceFolder">): string {
  const p = pathFor(input.platform);
  let expanded = value;
  if (input.workspaceFolder !== undefined) {
    expanded = expanded.split("${workspaceFolder}").join(input.workspaceFolder);
  }
  if (expanded === "~") {
    expanded = input.homeDir;
  } else if (expanded.startsWith("~/") || (input.platform === "win32" && expanded.startsWith("~\\"))) {
    expanded = p.join(input.homeDir, expanded.slice(2));
  }
  if (!p.isAbsolute(expanded) && input.workspaceFolder !== undefined) {
    expanded = p.resolve(input.workspaceFolder, expanded);
  }
  return expanded;
}

function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}
