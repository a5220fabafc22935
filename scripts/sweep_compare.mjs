#!/usr/bin/env node
// torchshape against the goldens of a local sweep (scripts/sweep_timm.py writes them):
// for each golden, the CLI runs on the same source with the same model and input,
// and its rows are compared with PyTorch's as test/goldens.test.ts compares them
// (name, type, params, trainable params, input and output shape, depth), then the totals.
//
//   node scripts/sweep_compare.mjs [.cache/sweeps/timm] [--only NAME] [--verbose] [--json out.json] [-- more CLI options]
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const all = process.argv.slice(2);
// what follows `--` is passed to every torchshape run
const argv = all.includes("--") ? all.slice(0, all.indexOf("--")) : all;
const passThrough = all.includes("--") ? all.slice(all.indexOf("--") + 1) : [];
const flag = (name) => argv.includes(name);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const only = option("--only");
const jsonOut = option("--json");
const folder = argv.find((a, i) => !a.startsWith("--") && !["--only", "--json"].includes(argv[i - 1])) ?? join(root, ".cache", "sweeps", "timm");

const ROW_FIELDS = ["name", "type", "params", "trainable_params", "input_shape", "output_shape", "depth"];
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const rowOf = (l) => Object.fromEntries(ROW_FIELDS.map((f) => [f, l[f]]));

/** Where our rows first part from PyTorch's: the detail, and a cause to group by (the field and the row's type). */
function firstDifference(ours, golden) {
  for (let i = 0; i < Math.max(ours.length, golden.length); i++) {
    const a = ours[i];
    const b = golden[i];
    if (!a) return { detail: `row ${i}: missing (${b.name} ${b.type})`, cause: `rows missing from a ${b.type} row on` };
    if (!b) return { detail: `row ${i}: extra (${a.name} ${a.type})`, cause: `extra rows from a ${a.type} row on` };
    const field = ROW_FIELDS.find((f) => !same(a[f], b[f]));
    if (field) return { detail: `row ${i} ${b.name} (${b.type}): ${field} ${JSON.stringify(a[field])} vs ${JSON.stringify(b[field])}`, cause: `${field} differs at a ${b.type} row (ours: ${a.type})` };
  }
  return undefined;
}

const results = [];
for (const file of readdirSync(folder).filter((f) => f.endsWith(".golden.json")).sort()) {
  const doc = JSON.parse(readFileSync(join(folder, file), "utf8"));
  const entry = doc.sweep;
  if (only && entry.name !== only) continue;
  const golden = doc.models[0];
  const args = [join(root, "bin", "torchshape.cjs"), entry.source, "--model", entry.model, "--input", entry.input, "--format", "json", "--search-path", entry.search_path, ...passThrough];
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const result = { name: entry.name, seconds, golden_rows: golden.layers.length, matching_rows: 0, exact: false, cause: "", detail: "" };
  results.push(result);
  let out;
  if (run.error) result.cause = result.detail = `did not finish: ${run.error.code ?? run.error.message}`;
  else if (run.status === 2 || !run.stdout) {
    result.detail = `exit ${run.status}: ${(run.stderr.trim().split("\n")[0] ?? "").slice(0, 200)}`;
    // the message without the model's own name
    result.cause = result.detail.replace(/--model '[^']*' /, "").replace(/ in \/\S+/, "");
  }
  else {
    try {
      out = JSON.parse(run.stdout).models[0];
    } catch {
      result.cause = result.detail = "output is not JSON";
    }
  }
  if (out) {
    const ours = out.layers.map(rowOf);
    const theirs = golden.layers.map(rowOf);
    result.matching_rows = theirs.filter((r, i) => ours[i] && same(ours[i], r)).length;
    result.our_rows = ours.length;
    const diff = firstDifference(ours, theirs);
    const totals = same(out.output_shape, golden.output_shape) && out.total_params === golden.total_params && out.trainable_params === golden.trainable_params;
    result.exact = !diff && totals;
    if (diff) [result.cause, result.detail] = [diff.cause, diff.detail];
    else if (!totals) {
      result.cause = "totals differ";
      result.detail = `totals: output ${JSON.stringify(out.output_shape)} vs ${JSON.stringify(golden.output_shape)}, params ${out.total_params} vs ${golden.total_params}`;
    }
  }
  console.log(`${result.exact ? "exact" : "DIFF "} ${entry.name.padEnd(36)} ${String(result.matching_rows).padStart(4)}/${String(result.golden_rows).padEnd(4)} ${seconds.toFixed(2)} s ${result.detail}`);
  if (flag("--verbose") && run.stderr) console.log(run.stderr.trim().split("\n").slice(0, 20).map((l) => `    ${l}`).join("\n"));
}

const exact = results.filter((r) => r.exact).length;
// row accuracy: rows that match, over all rows of both sides (an extra row of ours counts against us)
const allRows = results.reduce((s, r) => s + Math.max(r.golden_rows, r.our_rows ?? 0), 0);
const matching = results.reduce((s, r) => s + r.matching_rows, 0);
const times = results.map((r) => r.seconds).sort((a, b) => a - b);
const median = times.length ? (times[(times.length - 1) >> 1] + times[times.length >> 1]) / 2 : 0;
console.log(`\n${exact} of ${results.length} models exact; rows ${matching} of ${allRows} match (${((100 * matching) / Math.max(1, allRows)).toFixed(1)}%); median ${median.toFixed(2)} s per model`);
const causes = new Map();
for (const r of results.filter((x) => !x.exact)) {
  causes.set(r.cause, [...(causes.get(r.cause) ?? []), r.name]);
}
for (const [cause, names] of [...causes].sort((a, b) => b[1].length - a[1].length)) console.log(`  ${names.length} × ${cause}  (${names.slice(0, 4).join(", ")}${names.length > 4 ? ", ..." : ""})`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ exact, models: results.length, matching_rows: matching, rows: allRows, median_seconds: median, results }, null, 1));
