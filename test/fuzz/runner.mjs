// Runs variants through worker processes (worker.mjs) and gathers the figures:
// variants, faults (internal errors, timeouts past the budget, analyses over the memory
// budget: the worker's resident set rising more than the budget above where it stood
// when the analysis began), the worst time of one phase and the peak memory of a worker. A worker
// that takes longer than the budget plus a margin is killed and counted as a timeout.
import { fork } from "node:child_process";
import { join } from "node:path";

const workerPath = join(import.meta.dirname, "worker.mjs");
const recycleRssBytes = 300 * 2 ** 20;
// check loads a file in one budget, then its models share at most three more (src/check/fileModels.ts)
const checkBudgets = 4;

/**
 * options: { workers, timeLimitMs, memoryLimitBytes, onProgress(done) }.
 * Returns { variants, faults: [{name, fault}], worstMs, worstName, peakRss, worstGrowth, worstGrowthName }.
 */
export async function runVariants(variants, options = {}) {
  const timeLimitMs = options.timeLimitMs ?? 10_000;
  const memoryLimitBytes = options.memoryLimitBytes ?? 512 * 2 ** 20;
  const iterator = variants[Symbol.iterator]();
  const stats = { variants: 0, faults: [], worstMs: 0, worstName: "", peakRss: 0, worstGrowth: 0, worstGrowthName: "" };
  const env = { ...process.env, FUZZ_TIME_LIMIT_MS: String(timeLimitMs) };

  const lane = () =>
    new Promise((resolve) => {
      let child;
      let current;
      let timer;
      const spawnWorker = () => {
        child = fork(workerPath, [], { env, serialization: "advanced", execArgv: [`--max-old-space-size=${Math.ceil((memoryLimitBytes * 2) / 2 ** 20)}`, "--stack-size=3900", "--expose-gc"] });
        child.on("message", onMessage);
        child.on("exit", onExit);
      };
      const next = () => {
        const { value, done } = iterator.next();
        if (done) {
          child.removeListener("exit", onExit);
          child.kill();
          return resolve();
        }
        current = value;
        // the summary, check and the language server, each within its budget, plus starting slack
        const answerMs = (2 + checkBudgets) * timeLimitMs + 5000;
        timer = setTimeout(() => {
          stats.faults.push({ name: current.name, fault: `no answer within ${answerMs} ms` });
          child.removeListener("exit", onExit);
          child.kill("SIGKILL");
          current = undefined;
          spawnWorker();
        }, answerMs);
        child.send({ name: value.name, bytes: value.bytes.toString("base64") });
      };
      function onMessage(m) {
        if (m.ready) return next();
        clearTimeout(timer);
        stats.variants++;
        for (const f of m.faults) stats.faults.push({ name: m.name, fault: f });
        for (const [phase, ms] of Object.entries(m.times)) {
          if (ms > stats.worstMs) [stats.worstMs, stats.worstName] = [ms, `${m.name} (${phase})`];
          const allowed = phase === "check" ? checkBudgets * timeLimitMs : timeLimitMs;
          if (ms > allowed + 1000) stats.faults.push({ name: m.name, fault: `${phase} took ${Math.round(ms)} ms, past its budget of ${allowed} ms` });
        }
        stats.peakRss = Math.max(stats.peakRss, m.rss);
        for (const [phase, grew] of Object.entries(m.grew)) {
          if (grew > stats.worstGrowth) [stats.worstGrowth, stats.worstGrowthName] = [grew, `${m.name} (${phase})`];
          if (grew > memoryLimitBytes) stats.faults.push({ name: m.name, fault: `${phase} grew the worker by ${Math.round(grew / 2 ** 20)} MB, past the budget of ${memoryLimitBytes / 2 ** 20} MB` });
        }
        options.onProgress?.(stats);
        current = undefined;
        // a worker's memory is not given back to the system: a fresh one keeps each file's growth measurable
        if (m.rss > recycleRssBytes) {
          child.removeListener("exit", onExit);
          child.kill();
          spawnWorker();
          return;
        }
        next();
      }
      function onExit(code, signal) {
        clearTimeout(timer);
        if (current) stats.faults.push({ name: current.name, fault: `worker died (${signal ?? code})` });
        current = undefined;
        spawnWorker();
      }
      spawnWorker();
    });

  await Promise.all(Array.from({ length: options.workers ?? 1 }, lane));
  return stats;
}
