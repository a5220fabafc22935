#!/usr/bin/env node
// torchshape against PyTorch on torchvision models, each a fresh process:
// `node bin/torchshape.cjs <model file> --model ... --format json` (cold) versus
// building the same model in PyTorch and running one forward pass with hooks
// (scripts/torchvision_forward.py). Medians over N runs, and torchshape's peak
// memory (max RSS). Usage: npm run bench:torchvision [-- --runs 7]
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const python = "/usr/bin/python3";
const targets = { speedup: 20, maxRssMB: 200 };

const torchvision = [
  process.env.TORCHSHAPE_TORCHVISION,
  "/usr/lib/python3/dist-packages/torchvision",
  join(root, ".cache", "torchvision", "usr", "lib", "python3", "dist-packages", "torchvision"),
].find((c) => c && existsSync(join(c, "models", "resnet.py")));
if (!torchvision) {
  console.error("torchvision's sources were not found (install python3-torchvision, or run scripts/torchvision_sources.sh)");
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(root, "fixtures", "torchvision", "models.json"), "utf8")).models;
const entry = (name) => manifest.find((m) => m.name === name);

// a preloaded hook prints the process's peak memory as it exits (kB on Linux)
const maxRssHook = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\ntorchshape-maxrss-kb "+process.resourceUsage().maxRSS+"\\n"))`;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(command, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

function torchshape(e, withMemory) {
  const args = [join(root, "bin", "torchshape.cjs"), join(torchvision, e.file), "--model", e.model, "--input", e.input, "--format", "json"];
  const r = timed(process.execPath, withMemory ? ["--import", maxRssHook, ...args] : args);
  const rows = JSON.parse(r.stdout).models[0].layers.length;
  const rss = /torchshape-maxrss-kb (\d+)/.exec(r.stderr);
  return { ms: r.ms, rows, maxRssKB: rss ? Number(rss[1]) : undefined };
}

function pytorch(e) {
  const module = `torchvision.${e.file.replace(/\.py$/, "").replace(/\//g, ".")}`;
  const r = timed(python, [join(root, "scripts", "torchvision_forward.py"), "--module", module, "--model", e.model, "--input", e.input]);
  return { ms: r.ms, rows: Number(r.stdout.trim()) };
}

const hasTorch = existsSync(python) && spawnSync(python, ["-c", "import torch, torchvision"], { encoding: "utf8" }).status === 0;
console.log(`torchvision sources: ${torchvision}; ${runs} runs each; medians of wall time, cold processes`);
for (const name of ["resnet50", "maxvit_t"]) {
  const e = entry(name);
  const ours = [];
  const rss = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const r = torchshape(e, name === "maxvit_t");
    ours.push(r.ms);
    rows = r.rows;
    if (r.maxRssKB !== undefined) rss.push(r.maxRssKB);
  }
  const line = [`${name} (${rows} rows): torchshape ${median(ours).toFixed(0)} ms (min ${Math.min(...ours).toFixed(0)}, max ${Math.max(...ours).toFixed(0)})`];
  if (hasTorch) {
    const theirs = [];
    for (let i = 0; i < runs; i++) theirs.push(pytorch(e).ms);
    const speedup = median(theirs) / median(ours);
    line.push(`PyTorch build + forward ${median(theirs).toFixed(0)} ms (min ${Math.min(...theirs).toFixed(0)}, max ${Math.max(...theirs).toFixed(0)})`);
    line.push(`${speedup.toFixed(1)}x faster (target ${targets.speedup}x)`);
  } else line.push("PyTorch not installed: no comparison");
  if (rss.length > 0) line.push(`torchshape peak memory ${(median(rss) / 1024).toFixed(0)} MB max RSS (max ${(Math.max(...rss) / 1024).toFixed(0)} MB; target < ${targets.maxRssMB} MB)`);
  console.log(line.join("; "));
}
