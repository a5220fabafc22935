// One fuzzing process: takes variants from its parent (runner.mjs) over IPC, puts each
// through the summary, `check` and the language server's analysis (in process, from
// dist/), and answers with the outcome, the time and the process's memory.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

process.on("message", (v) => {
  const rssBefore = process.memoryUsage().rss;
  const bytes = Buffer.from(v.bytes, "base64");
  const file = join(dir, "variant.py");
  writeFileSync(file, bytes);
  const times = {};
  const faults = [];
  for (const [phase, run] of [
    ["summary", () => summary(file)],
    ["check", () => check(file)],
    ["lsp", () => languageServer(file, bytes.toString("utf8"))],
  ]) {
    const t0 = performance.now();
    const fault = run();
    times[phase] = performance.now() - t0;
    if (fault) faults.push(`${phase}: ${fault}`);
  }
  process.send({ name: v.name, faults, times, rss: process.memoryUsage().rss, rssBefore });
});
process.send({ ready: true });
