// node's own modules that only some commands use, loaded when first used. node:v8 and
// node:worker_threads each bring node's streams with them (about thirty of node's
// modules to compile), some 5 ms of every start, while only check's cache and workers
// and the memory meter of check's workers call them.
import { createRequire } from "node:module";

const requireBuiltin = createRequire(import.meta.url);

export const v8Module = (): typeof import("node:v8") => requireBuiltin("node:v8");
export const workerThreads = (): typeof import("node:worker_threads") => requireBuiltin("node:worker_threads");
