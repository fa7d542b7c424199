// Bundles the extension and its one runtime dependency (vscode-languageclient) into dist/extension.js,
// so the .vsix ships without node_modules and `vsce package --no-dependencies` works offline.
import { build } from "esbuild";

await build({
  entryPoints: ["src/extension.ts"],
  outfile: "dist/extension.js",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  external: ["vscode"],
  sourcemap: false,
  minify: process.argv.includes("--minify"),
  logLevel: "warning",
});
