// `check --jobs N`: the files analysed on N worker threads (checkWorker.ts), with
// a result that is the serial run's, byte for byte. Files depend on each other only
// through the coverage ledger (a model or class analysed in an earlier file is not
// analysed again), so a worker analyses each file with a ledger of its own, which
// knows what the files replayed so far added, and sends back its outcome with what
// it asked the ledger and was answered. This thread replays the outcomes in the
// checking order; a file whose answers the run's ledger would have given otherwise
// at its turn is analysed again here, on the run's ledger, as the serial run would.
//
// The run stays synchronous, as the serial one: this thread waits on a shared
// counter that the workers raise after each message (Atomics.wait), and takes their
// messages with receiveMessageOnPort.
import type { MessagePort, Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { measureMemoryByThread } from "../eval/memoryMeter.js";
import { workerThreads } from "../nodeOnDemand.js";
import type { Environment } from "../environment/discover.js";
import { packageRoot } from "../packageRoot.js";
import { syntaxCacheEnabled } from "../analysis/syntaxCache.js";
import { checkOneFileStoring, defaultCheckTimeLimitMs, fileCheckOptions, replayStored, type CheckOptions, type FileCheckOptions, type FileOutcome } from "./check.js";
import type { OutcomeCache, StoredOutcome } from "./outcomeCache.js";
import type { DiskReads } from "../analysis/diskReads.js";
import type { CoverageLedger, LedgerEvent } from "./coverage.js";
import { fileBudgetsPerModel } from "./fileModels.js";
import { reviveSymbolicDims } from "./reviveDims.js";

/** What a worker is given at its start. */
export interface CheckWorkerData {
  readonly options: FileCheckOptions;
  readonly syntaxCache: boolean;
  /** record what each file's analysis read, for the outcome cache (outcomeCache.ts), which this thread writes */
  readonly recordReads: boolean;
  readonly port: MessagePort;
  /** raised by one after each message a worker sends */
  readonly signal: SharedArrayBuffer;
}

/** One file to analyse, with what the run's ledger gained since this worker's last task. */
export interface CheckTask {
  readonly file: string;
  readonly environment: Environment | undefined;
  readonly learnPrints: readonly string[];
  readonly learnKeys: readonly string[];
}

/** A file's outcome and its ledger events; `failed` when the outcome could not be sent (the file is analysed again here). */
export type CheckReply =
  | { readonly file: string; readonly outcome: FileOutcome; readonly events: readonly LedgerEvent[]; readonly recorded?: { readonly reads: DiskReads; readonly storable: boolean } }
  | { readonly file: string; readonly failed: string };

/** The analysis stack of a worker, as the CLI's large-stack worker (bin/torchshape.cjs): Python's recursion limit holds. */
const workerStackMb = 256;

interface PoolWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  /** the file it analyses now, and since when */
  busy?: { readonly file: string; readonly since: number };
  /** how much of the run's ledger log it has been sent */
  knownPrints: number;
  knownKeys: number;
  lost: boolean;
}

const workerEntry = () => join(packageRoot(), "bin", "checkWorker.cjs");

/** Whether the workers' entry is installed beside the bundle (a copy of the bundle alone checks on its main thread). */
export function workersAvailable(): boolean {
  return existsSync(workerEntry());
}

/** What an earlier run stored: the outcomes found for this run's files (replayed at their turn, never sent to a worker), and where to store new ones. */
export interface StoredOutcomes {
  readonly stored: ReadonlyMap<string, StoredOutcome>;
  readonly cache: OutcomeCache | undefined;
}

export function checkInParallel(order: readonly string[], environmentOf: ReadonlyMap<string, Environment | undefined>, options: CheckOptions, ledger: CoverageLedger, jobs: number, { stored, cache }: StoredOutcomes): Map<string, FileOutcome> {
  const fileOptions: FileCheckOptions = fileCheckOptions(options);
  const signal = new SharedArrayBuffer(4);
  const raised = new Int32Array(signal);
  const { MessageChannel, receiveMessageOnPort, Worker } = workerThreads();
  const entry = workerEntry();
  // the main thread analyses files again while workers run: its files count their own thread's memory too
  measureMemoryByThread();
  const pool: PoolWorker[] = [];
  for (let i = 0; i < jobs; i++) {
    const { port1, port2 } = new MessageChannel();
    const workerData: CheckWorkerData = { options: fileOptions, syntaxCache: syntaxCacheEnabled(), recordReads: cache !== undefined, port: port2, signal };
    const worker = new Worker(entry, { workerData, transferList: [port2], resourceLimits: { stackSizeMb: workerStackMb }, stdout: true, stderr: true });
    worker.unref();
    pool.push({ worker, port: port1, knownPrints: 0, knownKeys: 0, lost: false });
  }
  // what the replayed files added to the run's ledger, in order: each worker is sent what it has not seen
  const addedPrints: string[] = [];
  const addedKeys: string[] = [];
  // a worker that has not answered in far more than a file's whole budget is taken as lost (a crash or a hang)
  const timeLimitMs = options.timeLimitMs ?? defaultCheckTimeLimitMs;
  const lostAfterMs = (fileBudgetsPerModel + 3) * timeLimitMs + 60_000;
  const replies = new Map<string, CheckReply | "lost" | "stored">(order.filter((file) => stored.has(file)).map((file) => [file, "stored"] as const));
  const outcomes = new Map<string, FileOutcome>();
  let dispatched = 0;
  // the next file a worker should analyse: stored ones are replayed here
  const skipStored = () => {
    while (dispatched < order.length && stored.has(order[dispatched]!)) dispatched++;
  };
  try {
    while (outcomes.size < order.length) {
      // replay, in the checking order, what has come back
      while (outcomes.size < order.length && replies.has(order[outcomes.size]!)) {
        const file = order[outcomes.size]!;
        const reply = replies.get(file)!;
        replies.delete(file);
        const sent = reply !== "lost" && reply !== "stored" && "outcome" in reply ? reply : undefined;
        const replayed = reply === "stored" ? replayStored(stored.get(file), ledger) : undefined;
        const sentAdded = sent && ledger.replay(sent.events);
        let added: { readonly prints: string[]; readonly analysedKeys: string[] };
        if (replayed) {
          outcomes.set(file, replayed.outcome);
          added = replayed.added;
        } else if (sent && sentAdded) {
          outcomes.set(file, reviveSymbolicDims(sent.outcome));
          if (sent.recorded) cache?.store(file, environmentOf.get(file), { outcome: sent.outcome, events: sent.events, ...sent.recorded });
          added = sentAdded;
        } else {
          // its answers were not this run's (or it never came): analysed again, on the run's ledger
          const before = ledger.sizes();
          outcomes.set(file, checkOneFileStoring(file, environmentOf.get(file), fileOptions, ledger, cache));
          added = ledger.added(before);
        }
        addedPrints.push(...added.prints);
        addedKeys.push(...added.analysedKeys);
        options.progress?.(outcomes.size, order.length);
      }
      if (outcomes.size === order.length) break;
      const seen = Atomics.load(raised, 0);
      let heard = false;
      for (const w of pool) {
        for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port)) {
          heard = true;
          const message = m.message as CheckReply | { readonly workerFailed: string };
          if ("workerFailed" in message) {
            // it could not load: what it was sent is checked here
            if (w.busy) replies.set(w.busy.file, "lost");
            w.busy = undefined;
            w.lost = true;
            continue;
          }
          replies.set(message.file, message);
          w.busy = undefined;
        }
      }
      const now = Date.now();
      for (const w of pool) {
        if (w.busy && now - w.busy.since > lostAfterMs) {
          replies.set(w.busy.file, "lost");
          w.busy = undefined;
          w.lost = true;
          void w.worker.terminate();
          heard = true;
        }
        skipStored();
        if (w.busy || w.lost || dispatched >= order.length) continue;
        const file = order[dispatched++]!;
        const task: CheckTask = { file, environment: environmentOf.get(file), learnPrints: addedPrints.slice(w.knownPrints), learnKeys: addedKeys.slice(w.knownKeys) };
        w.knownPrints = addedPrints.length;
        w.knownKeys = addedKeys.length;
        w.busy = { file, since: now };
        w.port.postMessage(task);
      }
      // every worker lost: what is left is analysed here
      if (dispatched < order.length && pool.every((w) => w.lost)) for (; dispatched < order.length; dispatched++) if (!stored.has(order[dispatched]!)) replies.set(order[dispatched]!, "lost");
      if (!heard) Atomics.wait(raised, 0, seen, 1_000);
    }
  } finally {
    for (const w of pool) {
      w.port.close();
      void w.worker.terminate();
    }
  }
  return outcomes;
}
