// The installed package's folder (grammars/, package.json), found by walking up
// from this file: it sits in dist/ as compiled files or as one bundle.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "grammars", "module-classes.scm")) && dirname(dir) !== dir) dir = dirname(dir);
  cached = dir;
  return dir;
}
