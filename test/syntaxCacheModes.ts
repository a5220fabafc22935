// The goldens and torchvision tests run twice: once with every file read from the
// syntax cache (src/analysis/syntaxCache.ts), once with none (TORCHSHAPE_NO_CACHE, as
// --no-cache): the cache must change no result.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// this test file's own cache folder, so that a run starts with nothing stored
process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), "torchshape-test-cache-"));

export interface CacheMode {
  readonly name: string;
  readonly cached: boolean;
}

export const cacheModes: readonly CacheMode[] = [
  { name: "read from the syntax cache", cached: true },
  { name: "read afresh (no cache)", cached: false },
];

/** An analysis in a mode: cached, it runs twice and gives the second run, whose files all came from the cache. */
export function inCacheMode<T>(mode: CacheMode, analyse: () => T): T {
  if (mode.cached) {
    analyse();
    return analyse();
  }
  process.env.TORCHSHAPE_NO_CACHE = "1";
  try {
    return analyse();
  } finally {
    delete process.env.TORCHSHAPE_NO_CACHE;
  }
}
