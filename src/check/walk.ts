// The Python files and notebooks under the paths given to `check`: folders are walked,
// skipping .git, node_modules, virtual environments, caches and what git ignores.
import { createRequire } from "node:module";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isNotebookPath } from "../analysis/notebook.js";

const skippedFolders = new Set([".git", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache", ".pytest_cache", "site-packages", ".eggs", ".ipynb_checkpoints"]);
/** build output copies the sources: skipped when no .gitignore can say so (outside a git work tree) */
const buildFolders = new Set(["build", "dist"]);

function isVirtualEnv(dir: string): boolean {
  return existsSync(join(dir, "pyvenv.cfg"));
}

/** Files git would track under dir (tracked or untracked but not ignored); undefined outside a git work tree. */
function gitListedPythonFiles(dir: string): string[] | undefined {
  // node:child_process loaded here: a summary run never needs it
  const { spawnSync } = createRequire(import.meta.url)("node:child_process") as typeof import("node:child_process");
  const r = spawnSync("git", ["-C", dir, "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", "*.py", "*.ipynb"], { encoding: "utf8", timeout: 10_000 });
  if (r.status !== 0 || r.error) return undefined;
  return r.stdout
    .split("\0")
    .filter(Boolean)
    .map((f) => resolve(dir, f))
    .filter((f) => existsSync(f) && !f.split(/[\\/]/).some((part) => skippedFolders.has(part)) && !insideVirtualEnv(dir, f));
}

/** A file under a virtual environment below `root` (any name: one that .gitignore does not list) */
function insideVirtualEnv(root: string, file: string): boolean {
  for (let d = dirname(file); d.length > root.length && d.startsWith(root); d = dirname(d)) if (isVirtualEnv(d)) return true;
  return false;
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (skippedFolders.has(entry.name) || buildFolders.has(entry.name) || entry.name.startsWith(".") || isVirtualEnv(full)) continue;
      walk(full, out);
    } else if (entry.isFile() && (entry.name.endsWith(".py") || isNotebookPath(entry.name))) out.push(full);
  }
}

export function pythonFilesUnder(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) {
      files.push(abs); // reported as unreadable by the checker
      continue;
    }
    // a file, a device or a pipe named on the command line is read as a file (within its size limit)
    if (!statSync(abs).isDirectory()) {
      files.push(abs);
      continue;
    }
    const listed = gitListedPythonFiles(abs);
    if (listed) files.push(...listed.sort());
    else {
      const found: string[] = [];
      walk(abs, found);
      files.push(...found.sort());
    }
  }
  return [...new Set(files)];
}
