// The fixed-seed part of the fuzz suite: every hostile input (huge literals, deep
// nesting, long lines, NUL bytes, invalid UTF-8, CRLF, mixed indentation, a 5 MB
// file, endless loops and recursion) and a seeded sample of line prefixes, cuts,
// token swaps and digit changes of the fixtures, each through the summary, `check`
// and the language server's analysis. Every result is a result or a one-line note:
// no internal error, no phase past its time budget, no file past its memory budget.
// The long run is `npm run fuzz` (scripts/fuzz.mjs).
import { expect, it } from "vitest";
import { fixtureSources, hostileInputs, prefixVariants, random, randomVariants } from "./variants.mjs";
import { runVariants } from "./runner.mjs";

it("hostile inputs and seeded mutations of every fixture: results or one-line notes, within budget", async () => {
  const fixtures = fixtureSources();
  const rng = random(2026);
  const prefixes = [...prefixVariants(fixtures)].filter(() => rng.next() < 0.006);
  const variants = [...hostileInputs(fixtures), ...prefixes, ...randomVariants(fixtures, 2026, 40)];
  const stats = await runVariants(variants, { workers: 2, timeLimitMs: 4000 });
  expect(stats.faults).toEqual([]);
  expect(stats.variants).toBe(variants.length);
}, 600_000);
