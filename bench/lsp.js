#!/usr/bin/env node
// The language server's re-analysis after an edit, as an editor sees it: the real
// server (`node bin/torchshape.cjs lsp`) driven over stdio, a 1,000-line file of
// models opened, then one edit at a time (a layer's width changed), each timed from
// didChange to the publishDiagnostics of that version. The server waits
// changeDebounceMs (src/lsp/server.ts) after an edit before analysing; the figure is
// the time after that wait, and the whole time is printed beside it. CPU time is the
// server process's own (user + system, /proc/PID/stat) over all edits, per edit. A first
// server, in a cache folder of its own, opens the file and writes the server's code cache;
// the timed one starts from it, as an editor's server does from the second time on.
//   node bench/lsp.js [--runs 7]   (npm run bench runs it; edits = 10 x runs)
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runsArg = process.argv.indexOf("--runs");
const edits = 10 * (runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7);
const debounceMs = Number(/export const changeDebounceMs = (\d+);/.exec(readFileSync(join(root, "src", "lsp", "server.ts"), "utf8"))?.[1] ?? 0);

/** 1,000 lines: twenty models of convolutions, linear layers and a forward each, with the input comment they need. */
function thousandLines(width) {
  const lines = ["import torch", "import torch.nn as nn", "import torch.nn.functional as F", ""];
  for (let m = 0; lines.length < 990; m++) {
    lines.push("", `# torchshape: input=2,3,32,32`, `class Net${m}(nn.Module):`, "    def __init__(self):", "        super().__init__()");
    for (let i = 0; i < 8; i++) lines.push(`        self.conv${i} = nn.Conv2d(${i === 0 ? 3 : 16}, 16, 3, padding=1)`, `        self.bn${i} = nn.BatchNorm2d(16)`);
    lines.push(`        self.fc1 = nn.Linear(16 * 32 * 32, ${m === 0 ? width : 64})`, `        self.fc2 = nn.Linear(${m === 0 ? width : 64}, 10)`, "", "    def forward(self, x):");
    for (let i = 0; i < 8; i++) lines.push(`        x = F.relu(self.bn${i}(self.conv${i}(x)))`, `        # block ${i} of model ${m}`);
    lines.push("        x = torch.flatten(x, 1)", "        x = F.relu(self.fc1(x))", "        return self.fc2(x)");
  }
  return `${lines.join("\n")}\n`;
}

function cpuSecondsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const warmUpEdits = 10;

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const dir = mkdtempSync(join(tmpdir(), "torchshape-lsp-bench-"));
const file = join(dir, "models.py");
writeFileSync(file, thousandLines(32));
const uri = pathToFileURL(file).href;

/**
 * One server's life: started, the file opened, `edits` edits, shut down. Its own cache folder (XDG_CACHE_HOME):
 * the first session finds it empty and writes the server's code cache there, the next starts from it.
 */
async function session(cacheHome, edits) {
  const spawnedAt = performance.now();
  const server = spawn(process.execPath, [join(root, "bin", "torchshape.cjs"), "lsp", "--stdio"], { cwd: dir, stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const waiting = new Map();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const done = waiting.get(p.version);
    if (p.uri === uri && done) done(performance.now());
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {}, workspaceFolders: null });
  const readyMs = performance.now() - spawnedAt;
  await connection.sendNotification(InitializedNotification.type, {});
  const published = (version) => new Promise((resolve) => waiting.set(version, resolve));

  const opened = published(1);
  const openedAt = performance.now();
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "python", version: 1, text: thousandLines(32) } });
  const firstMs = (await opened) - openedAt;

  const totals = [];
  const cpuBefore = cpuSecondsOf(server.pid);
  for (let i = 0; i < edits; i++) {
    const version = i + 2;
    const arrived = published(version);
    const sentAt = performance.now();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: thousandLines(33 + i) }] });
    totals.push((await arrived) - sentAt);
  }
  const cpuPerEdit = edits > 0 ? ((cpuSecondsOf(server.pid) - cpuBefore) / edits) * 1000 : 0;
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  server.kill();
  return { readyMs, firstMs, totals, cpuPerEdit };
}

const cacheHome = join(dir, "cache");
const cold = await session(cacheHome, 0);
const { readyMs, firstMs, totals, cpuPerEdit } = await session(cacheHome, edits);
rmSync(dir, { recursive: true, force: true });

const lines = thousandLines(32).split("\n").length - 1;
const analysis = totals.map((t) => t - debounceMs);
console.log(
  `LSP, a ${lines}-line file, ${edits} edits: re-analysis p95 ${percentile(analysis, 95).toFixed(0)} ms, p50 ${percentile(analysis, 50).toFixed(0)} ms after the ${debounceMs} ms debounce (target p95 < 50 ms); ` +
    `didChange to diagnostics p95 ${percentile(totals, 95).toFixed(0)} ms; server CPU ${cpuPerEdit.toFixed(0)} ms per edit; server started and initialised in ${readyMs.toFixed(0)} ms, first analysis on open ${firstMs.toFixed(0)} ms (with an empty code cache: ${cold.readyMs.toFixed(0)} and ${cold.firstMs.toFixed(0)} ms)`,
);
// the first edits after opening pay for V8's warming up (code optimised, the heap grown to its working size):
// the figure above counts them, as a user who opens a file and types at once meets them; this one is the rest
const warmed = analysis.slice(warmUpEdits);
console.log(`LSP, the same edits after the first ${warmUpEdits}: re-analysis p95 ${percentile(warmed, 95).toFixed(0)} ms, p50 ${percentile(warmed, 50).toFixed(0)} ms; the first ${warmUpEdits}: ${analysis.slice(0, warmUpEdits).map((t) => t.toFixed(0)).join(", ")} ms`);
