#!/usr/bin/env node
// Cold-start timings of the CLI (a fresh node process per run), median of N runs.
// Usage: npm run bench [-- --runs 15]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 11;
const cases = [
  { name: "article Net (9 rows)", args: ["fixtures/models/article_net.py", "--format", "json"] },
  { name: "deep_resnet (153 rows)", args: ["fixtures/models/deep_resnet.py", "--format", "json"] },
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

for (const c of cases) {
  const times = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(root, "bin", "torchshape.cjs"), ...c.args], { cwd: root, encoding: "utf8" });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${c.name}: exit ${r.status}: ${r.stderr}`);
    rows = JSON.parse(r.stdout).models.reduce((n, m) => n + m.layers.length, 0);
  }
  console.log(`${c.name}: median ${median(times).toFixed(1)} ms cold over ${runs} runs (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}), ${rows} rows`);
}
