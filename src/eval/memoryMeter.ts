// What a file's analysis costs in memory. Alone in its process (the CLI, the language
// server, check --jobs 1) it is the growth of the process's resident set, what the user
// pays and what the fuzz harness measures (test/fuzz/worker.mjs): the heap with its
// garbage, the pages V8 keeps after a collection, and native memory. check's worker
// threads analyse files side by side in one process, where the resident set counts the
// neighbours too: there each file counts its own thread's heap as V8 has taken it from
// the system, and the memory outside the heap that V8 counts for it.
import { v8Module } from "../nodeOnDemand.js";

let thisThreadOnly = false;

/** Called by a thread that analyses files beside others in the same process. */
export function measureMemoryByThread(): void {
  thisThreadOnly = true;
}

/** Bytes of memory the analysis is measured by now (their growth is what the budget counts). */
export function memoryInUse(): number {
  if (!thisThreadOnly) return process.memoryUsage.rss();
  const heap = v8Module().getHeapStatistics();
  return heap.total_heap_size + heap.external_memory;
}
