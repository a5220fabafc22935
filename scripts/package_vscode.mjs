// `npm run package:vscode`: editors/vscode as one .vsix that carries torchshape's
// language server, so a user installs one file. Staged in .cache/vscode-package:
// the extension bundled by esbuild (vscode-languageclient inside), its manifest and
// README, and server/: this package's bin, dist and grammars with its runtime
// dependencies (the package-lock's non-dev entries, tree-sitter's native addon built
// for this machine: the .vsix is marked for this platform). vsce (@vscode/vsce) zips it.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const extensionDir = join(root, "editors", "vscode");
const stage = join(root, ".cache", "vscode-package");

function fail(message) {
  process.stderr.write(`package:vscode: ${message}\n`);
  process.exit(1);
}

if (!existsSync(join(root, "dist", "torchshape.cjs"))) fail("dist/ is not built: run npm run build first");
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

await build({ entryPoints: [join(extensionDir, "src", "extension.ts")], outfile: join(stage, "out", "extension.js"), bundle: true, platform: "node", format: "cjs", target: "node20", external: ["vscode"], logLevel: "warning" });

const manifest = JSON.parse(readFileSync(join(extensionDir, "package.json"), "utf8"));
delete manifest.scripts;
delete manifest.dependencies; // bundled into out/extension.js
delete manifest.devDependencies;
manifest.main = "./out/extension.js";
writeFileSync(join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
cpSync(join(extensionDir, "README.md"), join(stage, "README.md"));
writeFileSync(join(stage, ".vscodeignore"), "**/*.map\n**/*.d.ts\n");

const server = join(stage, "server");
// the MCP SDK's bundle serves `torchshape mcp` only, which the extension never runs
for (const part of ["bin", "dist", "grammars", "package.json"]) cpSync(join(root, part), join(server, part), { recursive: true, filter: (path) => !path.endsWith("mcpSdk.cjs") && !path.endsWith(".v8") });
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
for (const [path, entry] of Object.entries(lock.packages)) {
  if (!path.startsWith("node_modules/") || entry.dev || entry.optional) continue;
  if (!existsSync(join(root, path))) fail(`${path} is not installed: run npm ci`);
  cpSync(join(root, path), join(server, path), { recursive: true });
}

const platform = `${process.platform}-${process.arch}`;
const out = join(extensionDir, `torchshape-vscode-${manifest.version}.vsix`);
const vsce = join(root, "node_modules", "@vscode", "vsce", "vsce");
const packed = spawnSync(process.execPath, [vsce, "package", "--no-dependencies", "--allow-missing-repository", "--skip-license", "--target", platform, "--out", out], { cwd: stage, encoding: "utf8", input: "y\n" });
if (packed.status !== 0) fail(`vsce package failed:\n${packed.stdout}${packed.stderr}`);
process.stdout.write(`${out} (${platform})\n`);
