// The installation's V8 code cache (bin/codeCache.cjs): compiled once by the build, from
// a run of the article's summary, and kept beside the bundle, so that an installation's
// first run, and every run of a fresh cache folder (CI, a container), starts from
// compiled code. The run starts from an empty cache folder of its own, so the code it
// compiles includes the conversion of a file not seen before (tree-sitter, src/parse),
// which a user's edited file needs; nothing of it stays in the user's cache folder.
//   node scripts/installed_code_cache.mjs   (scripts/bundle.mjs runs it)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
/** the installation's code caches, of this bundle and of earlier ones */
const installedCache = /^torchshape\.cjs-.*\.v8$/;

/** Writes dist/torchshape.cjs-<hash>-<size>-<node>.v8 for this node, removing those of earlier bundles. */
export function writeInstalledCodeCache() {
  for (const name of readdirSync(dist)) if (installedCache.test(name)) rmSync(join(dist, name));
  const cacheHome = mkdtempSync(join(tmpdir(), "torchshape-build-"));
  try {
    const run = spawnSync(process.execPath, [join(root, "bin", "torchshape.cjs"), join(root, "fixtures", "models", "article_net.py"), "--format", "json"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, XDG_CACHE_HOME: cacheHome, TORCHSHAPE_BUILDING_CODE_CACHE: "1" },
    });
    const written = readdirSync(dist).filter((name) => installedCache.test(name));
    // a build without it still works, as a run from an empty cache folder does
    if (run.status !== 0 || written.length !== 1) console.warn(`torchshape: no code cache was written beside the bundle (${run.status}: ${run.stderr.trim().split("\n")[0] ?? ""})`);
  } finally {
    rmSync(cacheHome, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeInstalledCodeCache();
