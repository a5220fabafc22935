#!/usr/bin/env node
// The speed figures of issue 10, each from whole cold processes, measured in
// turns with `node -e 0` in the same run (the machine's speed drifts, and other
// work loads it): for every figure the median wall time and the median CPU time
// (user + system, the kernel's own accounting: bench/rusage.py), and ratios as
// the median of the ratios of each turn.
//   npm run bench [-- --runs 7] [-- --only article,resnet50,check,lsp]
// "warm" means torchshape's caches (the code cache, the syntax cache, check's outcomes, the
// summary's kept output: src/cli/runReplay.ts) hold what an earlier run put there; "warm,
// analysed" has the same caches but never replays a kept output (TORCHSHAPE_NO_REPLAY=1);
// "its file edited" changes the model's file before each run, which is then read and
// converted afresh (tree-sitter loaded) while the rest comes from the cache; "empty" gives
// each run a fresh cache folder holding only the Python interpreter's sys.path answer
// (src/environment/sysPath.ts), which is the environment's, not what this issue caches. Both start from the code
// cache the build keeps beside the bundle (scripts/installed_code_cache.mjs), as an
// installation does; "empty, no installed code cache" also ignores that one.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const option = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(option("--runs", "7"));
const only = option("--only", "article,resnet50,check,lsp").split(",");
const python = "/usr/bin/python3";
const bin = join(root, "bin", "torchshape.cjs");
const scratch = mkdtempSync(join(tmpdir(), "torchshape-bench-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One run of a command as a child process: wall and CPU seconds from bench/rusage.py. */
function measure(command, { env = {}, stdout } = {}) {
  const args = [join(root, "bench", "rusage.py")];
  for (const [k, v] of Object.entries(env)) args.push("--env", `${k}=${v}`);
  if (stdout) args.push("--stdout", stdout);
  const r = spawnSync(python, [...args, "--", ...command], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${command.join(" ")}: ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split("\n").pop());
  if (m.status !== 0 && m.status !== 1) throw new Error(`${command.join(" ")}: exit ${m.status}`);
  return { wall: m.wall * 1000, cpu: (m.user + m.sys) * 1000 };
}

/** Runs commands in turns (A B C A B C ...) after one warm-up turn; each entry gives its command for the turn. */
function inTurns(entries) {
  for (const e of entries) measure(...e.run(-1));
  const results = entries.map(() => []);
  for (let i = 0; i < runs; i++) entries.forEach((e, j) => results[j].push(measure(...e.run(i))));
  return results;
}

const ms = (x) => `${x.toFixed(0)} ms`;
const summary = (rs) => `wall ${ms(median(rs.map((r) => r.wall)))}, cpu ${ms(median(rs.map((r) => r.cpu)))}`;
const ratio = (as, bs, key) => median(as.map((a, i) => a[key] / bs[i][key]));

const node0 = { run: () => [[process.execPath, "-e", "0"]] };
const analysed = () => ({ XDG_CACHE_HOME: warmCache, TORCHSHAPE_NO_REPLAY: "1" });

/**
 * Puts a summary's output in the warm cache: a run keeps it only when nothing it read changed in the last two seconds
 * (src/cli/recordedRun.ts), and a first run writes the interpreter's sys.path answer, which it then reads. A third run
 * shows that it is replayed.
 */
function keepOutput(command) {
  const kept = join(warmCache, "torchshape", "runs");
  const states = () => (existsSync(kept) ? readdirSync(kept).map((f) => `${f} ${statSync(join(kept, f)).mtimeMs}`).join("\n") : "");
  measure(command, { env: { XDG_CACHE_HOME: warmCache } });
  spawnSync("sleep", ["2.1"]);
  measure(command, { env: { XDG_CACHE_HOME: warmCache } });
  // a run that replays writes nothing; one that analyses keeps its output again
  const before = states();
  measure(command, { env: { XDG_CACHE_HOME: warmCache } });
  if (!before || states() !== before) console.log(`warning: the output of ${command.slice(1).join(" ")} is not replayed: its "warm cache" runs analyse`);
}
const warmCache = join(scratch, "warm");
const withoutInstalledCodeCache = () => ({ ...freshCache(), TORCHSHAPE_IGNORE_INSTALLED_CODE_CACHE: "1" });
function freshCache() {
  const dir = mkdtempSync(join(scratch, "cache-"));
  const answers = join(warmCache, "torchshape");
  if (existsSync(answers)) {
    mkdirSync(join(dir, "torchshape"));
    for (const f of readdirSync(answers).filter((n) => n.startsWith("sys-path-"))) copyFileSync(join(answers, f), join(dir, "torchshape", f));
  }
  return { XDG_CACHE_HOME: dir };
}

console.log(`${runs} cold processes per figure, in turns with node -e 0; medians (CPU = user + system); ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
process.on("exit", () => console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`));

if (only.includes("article")) {
  const article = [bin, "fixtures/models/article_net.py", "--format", "json"];
  keepOutput(article);
  // the edit loop: the model's file changed before each run (a comment added), everything else as the warm cache has it
  const edited = join(scratch, "edited", "article_net.py");
  mkdirSync(dirname(edited), { recursive: true });
  const editedRun = (i) => {
    writeFileSync(edited, `${readFileSync(join(root, "fixtures", "models", "article_net.py"), "utf8")}\n# edit ${i}\n`);
    return [[bin, edited, "--format", "json"], { env: { XDG_CACHE_HOME: warmCache } }];
  };
  const [warm, warmAnalysed, warmEdited, empty, bare, node] = inTurns([
    { run: () => [article, { env: { XDG_CACHE_HOME: warmCache } }] },
    { run: () => [article, { env: analysed() }] },
    { run: editedRun },
    { run: () => [article, { env: freshCache() }] },
    { run: () => [article, { env: withoutInstalledCodeCache() }] },
    node0,
  ]);
  console.log(`article, warm cache: ${summary(warm)}; node -e 0: ${summary(node)}; ${ratio(warm, node, "wall").toFixed(2)}x node's wall time, ${ratio(warm, node, "cpu").toFixed(2)}x its CPU time (target <= 1.3x)`);
  console.log(`article, warm cache, analysed (TORCHSHAPE_NO_REPLAY=1): ${summary(warmAnalysed)}; ${ratio(warmAnalysed, node, "wall").toFixed(2)}x node's wall time, ${ratio(warmAnalysed, node, "cpu").toFixed(2)}x its CPU time`);
  console.log(`article, warm cache, its file edited before each run: ${summary(warmEdited)}; ${ratio(warmEdited, node, "wall").toFixed(2)}x node's wall time, ${ratio(warmEdited, node, "cpu").toFixed(2)}x its CPU time`);
  console.log(`article, empty cache: ${summary(empty)}; ${ratio(empty, node, "wall").toFixed(2)}x node's wall time, ${ratio(empty, node, "cpu").toFixed(2)}x its CPU time`);
  console.log(`article, empty cache, no installed code cache: ${summary(bare)}; ${ratio(bare, node, "wall").toFixed(2)}x node's wall time, ${ratio(bare, node, "cpu").toFixed(2)}x its CPU time`);
}

const torchvision = [process.env.TORCHSHAPE_TORCHVISION, "/usr/lib/python3/dist-packages/torchvision", join(root, ".cache", "torchvision", "usr", "lib", "python3", "dist-packages", "torchvision")].find(
  (c) => c && existsSync(join(c, "models", "resnet.py")),
);
if (!torchvision && (only.includes("resnet50") || only.includes("check"))) console.log("torchvision's sources were not found (install python3-torchvision, or run scripts/torchvision_sources.sh): no resnet50 or check figures");

if (torchvision && only.includes("resnet50")) {
  const resnet = [bin, join(torchvision, "models", "resnet.py"), "--model", "resnet50()", "--input", "1,3,224,224", "--format", "json"];
  const hasTorch = spawnSync(python, ["-c", "import torch, torchvision"]).status === 0;
  const pytorch = { run: () => [[python, join(root, "scripts", "torchvision_forward.py"), "--module", "torchvision.models.resnet", "--model", "resnet50()", "--input", "1,3,224,224"]] };
  keepOutput(resnet);
  const entries = [{ run: () => [resnet, { env: { XDG_CACHE_HOME: warmCache } }] }, { run: () => [resnet, { env: analysed() }] }, { run: () => [resnet, { env: freshCache() }] }, { run: () => [resnet, { env: withoutInstalledCodeCache() }] }, node0];
  const [warm, warmAnalysed, empty, bare, node, torch] = inTurns(hasTorch ? [...entries, pytorch] : entries);
  console.log(`resnet50 from torchvision's source, warm cache: ${summary(warm)}; warm, analysed: ${summary(warmAnalysed)}; empty cache: ${summary(empty)}; empty cache, no installed code cache: ${summary(bare)}; node -e 0: ${summary(node)}`);
  if (torch) {
    console.log(`PyTorch building resnet50 + one forward with hooks: ${summary(torch)}`);
    console.log(`resnet50 speed-up over PyTorch, warm cache: ${ratio(torch, warm, "wall").toFixed(1)}x wall, ${ratio(torch, warm, "cpu").toFixed(1)}x CPU (target >= 18x); warm, analysed: ${ratio(torch, warmAnalysed, "wall").toFixed(1)}x wall, ${ratio(torch, warmAnalysed, "cpu").toFixed(1)}x CPU; empty cache: ${ratio(torch, empty, "wall").toFixed(1)}x wall, ${ratio(torch, empty, "cpu").toFixed(1)}x CPU (target >= 12x); empty cache, no installed code cache: ${ratio(torch, bare, "wall").toFixed(1)}x wall`);
  } else console.log("PyTorch is not installed: no comparison");
}

if (torchvision && only.includes("check")) {
  const models = join(torchvision, "models");
  const out = join(scratch, "check.json");
  // warm: the outcome cache (src/check/outcomeCache.ts) holds every file's outcome from an earlier run, as a hook
  // re-run over unchanged files finds it; --no-cache analyses every file (no syntax trees, no outcomes stored), with
  // the default worker count (src/check/workerCount.ts: none on 2 cores) and with two workers whatever the machine
  const check = [bin, "check", "-f", "json", models];
  const uncached = [...check, "--no-cache"];
  const uncachedTwo = [...uncached, "--jobs", "2"];
  const [warm, cold, coldTwo, node] = inTurns([
    { run: () => [check, { env: { XDG_CACHE_HOME: warmCache }, stdout: out }] },
    { run: () => [uncached, { env: { XDG_CACHE_HOME: warmCache } }] },
    { run: () => [uncachedTwo, { env: { XDG_CACHE_HOME: warmCache } }] },
    node0,
  ]);
  const files = JSON.parse(readFileSync(out, "utf8")).files.length;
  const rate = (rs) => files / (median(rs.map((r) => r.wall)) / 1000);
  console.log(`check ${models} (${files} files), warm cache: ${summary(warm)}; ${rate(warm).toFixed(1)} files/s (target >= 50); node -e 0 in the same turns: ${summary(node)}`);
  console.log(`check --no-cache (every file analysed): ${summary(cold)}; ${rate(cold).toFixed(1)} files/s`);
  console.log(`check --no-cache --jobs 2: ${summary(coldTwo)}; ${rate(coldTwo).toFixed(1)} files/s`);
}

if (only.includes("lsp") && existsSync(join(root, "bench", "lsp.js"))) {
  const r = spawnSync(process.execPath, [join(root, "bench", "lsp.js"), "--runs", String(runs)], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  process.stdout.write(r.stdout);
}
