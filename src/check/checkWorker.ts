// A worker thread of `check --jobs N` (parallelCheck.ts): it analyses the files it
// is sent, one at a time, each with a ledger of its own that knows what the run's
// ledger had gained when the file was sent, and answers with the file's outcome and
// what it asked and added to the ledger.
import { disableSyntaxCache } from "../analysis/syntaxCache.js";
import { measureMemoryByThread } from "../eval/memoryMeter.js";
import { workerThreads } from "../nodeOnDemand.js";
import { checkOneFile } from "./check.js";
import { analyseRecording } from "./outcomeCache.js";
import { CoverageLedger } from "./coverage.js";
import type { CheckReply, CheckTask, CheckWorkerData } from "./parallelCheck.js";
import { foreignClassIn } from "./reviveDims.js";

export function serveCheckWorker(): void {
  const { options, syntaxCache, recordReads, port, signal } = workerThreads().workerData as CheckWorkerData;
  if (!syntaxCache) disableSyntaxCache();
  measureMemoryByThread();
  const raised = new Int32Array(signal);
  // what the run's ledger has gained, as this worker has been told so far
  const prints: string[] = [];
  const keys: string[] = [];
  const reply = (message: CheckReply) => {
    port.postMessage(message);
    Atomics.add(raised, 0, 1);
    Atomics.notify(raised, 0);
  };
  port.on("message", (task: CheckTask) => {
    prints.push(...task.learnPrints);
    keys.push(...task.learnKeys);
    try {
      const ledger = new CoverageLedger({ journal: true });
      ledger.learn(prints, keys);
      const { outcome, events, reads, storable } = analyseRecording(ledger, () => checkOneFile(task.file, task.environment, options, ledger));
      const foreign = foreignClassIn(outcome);
      if (foreign) reply({ file: task.file, failed: `its outcome holds ${foreign}, which a worker cannot send` });
      else reply({ file: task.file, outcome, events, ...(recordReads ? { recorded: { reads, storable } } : {}) });
    } catch (e) {
      reply({ file: task.file, failed: e instanceof Error ? e.message : String(e) });
    }
  });
}
