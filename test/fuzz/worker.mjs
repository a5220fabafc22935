// One fuzzing process: takes variants from its parent (runner.mjs) over IPC, puts each
// through the summary, `check` and the language server's analysis (in process, from
// dist/), and answers with the outcome, the time and the memory of each: how far the
// process's resident set rose above where it stood when the analysis began (its peak,
// not its end), which is what the file's memory budget promises the user.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeFile, AnalysisInputError, checkPaths, renderJson, renderModelTable } from "../../dist/index.js";
import { renderCheckText } from "../../dist/report/checkText.js";
import { analyseText } from "../../dist/lsp/documentAnalysis.js";
import { noSettings } from "../../dist/lsp/settings.js";

const dir = mkdtempSync(join(tmpdir(), "torchshape-fuzz-"));
const timeLimitMs = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 10_000);
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

/** An exception escaping the analysis: a one-line note for bad input, anything else an internal error. */
function thrown(e) {
  if (e instanceof AnalysisInputError && !e.message.includes("\n")) return undefined;
  // the CLI's one-line "nested too deeply to analyse" (JavaScript's stack ran out in the parser)
  if (e instanceof RangeError && /call stack/i.test(e.message)) return undefined;
  return `${e?.constructor?.name ?? "?"}: ${String(e?.message ?? e).split("\n")[0]}`;
}

function summary(file) {
  try {
    const result = analyzeFile(file, { interpreter: { timeLimitMs } });
    renderJson(result);
    for (const m of result.models) renderModelTable(m);
    return undefined;
  } catch (e) {
    return thrown(e);
  }
}

function check(file) {
  try {
    const result = checkPaths([file], { timeLimitMs });
    renderCheckText(result);
    const internal = result.skipped.find((s) => /internal error/.test(s.reason));
    return internal ? `check: ${internal.reason}` : undefined;
  } catch (e) {
    return `check threw ${thrown(e) ?? e.message}`;
  }
}

function languageServer(file, text) {
  try {
    const a = analyseText(file, text, noSettings, timeLimitMs);
    return a.kind === "failed" && /internal error/.test(a.reason) ? `lsp: ${a.reason}` : undefined;
  } catch (e) {
    return `lsp threw ${thrown(e) ?? e.message}`;
  }
}

/** Linux's peak resident set of this process (VmHWM), reset to the present by writing 5 to clear_refs; elsewhere, none. */
const peakMeter = (() => {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    const peak = () => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024;
    peak();
    return { reset: () => writeFileSync("/proc/self/clear_refs", "5"), peak };
  } catch {
    return undefined;
  }
})();

process.on("message", (v) => {
  const bytes = Buffer.from(v.bytes, "base64");
  const file = join(dir, "variant.py");
  writeFileSync(file, bytes);
  const times = {};
  const grew = {};
  const faults = [];
  for (const [phase, run] of [
    ["summary", () => summary(file)],
    ["check", () => check(file)],
    ["lsp", () => languageServer(file, bytes.toString("utf8"))],
  ]) {
    // what an earlier phase left is collected first (the worker runs with --expose-gc), so that it
    // neither counts in this phase's growth nor gives this phase room that it then does not count
    globalThis.gc?.();
    peakMeter?.reset();
    const rssBefore = process.memoryUsage.rss();
    const t0 = performance.now();
    const fault = run();
    times[phase] = performance.now() - t0;
    grew[phase] = (peakMeter ? peakMeter.peak() : process.memoryUsage.rss()) - rssBefore;
    if (fault) faults.push(`${phase}: ${fault}`);
  }
  process.send({ name: v.name, faults, times, grew, rss: process.memoryUsage.rss() });
});
process.send({ ready: true });
