// The long fuzz run (npm run fuzz): every hostile input, every line prefix of every
// fixture, then random cuts, token swaps and digit changes up to --variants, each
// through the summary, `check` and the language server's analysis in worker
// processes (test/fuzz/runner.mjs). Prints the figures: variants, faults (internal
// errors, timeouts, memory past the budget), the worst time and the peak memory.
//
//   nice -n 10 node scripts/fuzz.mjs --variants 100000 --seed 1 --workers 2
//
// A fault names its variant (models/rnn_cells.py#digits9557, hostile/long_line_1mb);
// --only replays those of the same seed alone: --only 'models/rnn_cells.py#digits9557,hostile/huge_list'
import { parseArgs } from "node:util";
import { fixtureSources, hostileInputs, prefixVariants, randomVariants } from "../test/fuzz/variants.mjs";
import { runVariants } from "../test/fuzz/runner.mjs";

const { values } = parseArgs({
  options: {
    variants: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    workers: { type: "string", default: "2" },
    timeout: { type: "string", default: "10" },
    "memory-limit": { type: "string", default: "512" },
    only: { type: "string" },
  },
});
const total = Number(values.variants);
const fixtures = fixtureSources();

/** The named variants alone: the random ones are drawn again up to the highest index named. */
function* onlyVariants(names) {
  const wanted = new Set(names);
  for (const v of [...hostileInputs(fixtures, { extreme: true }), ...prefixVariants(fixtures)]) if (wanted.has(v.name)) yield v;
  const last = Math.max(-1, ...names.map((n) => Number(/#(?:cut|swap|digits)(\d+)$/.exec(n)?.[1] ?? -1)));
  for (const v of randomVariants(fixtures, Number(values.seed), last + 1)) if (wanted.has(v.name)) yield v;
}

function* allVariants() {
  let n = 0;
  for (const v of [...hostileInputs(fixtures, { extreme: true }), ...prefixVariants(fixtures)]) {
    if (n++ >= total) return;
    yield v;
  }
  yield* randomVariants(fixtures, Number(values.seed), total - n);
}

const mb = (b) => `${Math.round(b / 2 ** 20)} MB`;
const started = Date.now();
let lastReport = 0;
let shown = 0;
const stats = await runVariants(values.only ? onlyVariants(values.only.split(",")) : allVariants(), {
  workers: Number(values.workers),
  timeLimitMs: Number(values.timeout) * 1000,
  memoryLimitBytes: Number(values["memory-limit"]) * 2 ** 20,
  onProgress: (s) => {
    for (const f of s.faults.slice(shown)) process.stderr.write(`fault: ${f.name}: ${f.fault}\n`);
    shown = s.faults.length;
    if (Date.now() - lastReport < 30_000) return;
    lastReport = Date.now();
    // The worst figures so far, so that a run cut short still says what it saw.
    process.stderr.write(
      `${s.variants} variants, ${s.faults.length} faults, ${Math.round((Date.now() - started) / 1000)} s; ` +
        `worst ${Math.round(s.worstMs)} ms (${s.worstName}), peak ${mb(s.peakRss)}, growth ${mb(s.worstGrowth)}\n`,
    );
  },
});
console.log(`variants: ${stats.variants}`);
console.log(`faults: ${stats.faults.length}`);
for (const f of stats.faults.slice(0, 50)) console.log(`  ${f.name}: ${f.fault}`);
console.log(`worst time of one phase: ${Math.round(stats.worstMs)} ms (${stats.worstName})`);
console.log(`peak worker memory: ${mb(stats.peakRss)}; largest growth in one analysis: ${mb(stats.worstGrowth)} (${stats.worstGrowthName})`);
console.log(`elapsed: ${Math.round((Date.now() - started) / 1000)} s`);
process.exitCode = stats.faults.length > 0 ? 1 : 0;
