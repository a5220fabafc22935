// Where torchshape keeps what it caches: $XDG_CACHE_HOME/torchshape, else ~/.cache/torchshape.
import { homedir } from "node:os";
import { join } from "node:path";

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "torchshape");
}
