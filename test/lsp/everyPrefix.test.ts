// The language server fed every line prefix of every fixture as successive edits, the
// way a file grows while it is typed: it answers each document's latest version, never
// logs an internal failure, and its memory does not grow across 1,000 analysed edits.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DidCloseTextDocumentNotification, LogMessageNotification } from "vscode-languageserver-protocol/node";
import { fixtureSources, linePrefix } from "../fuzz/variants.mjs";
import { LspTestClient } from "./client.js";

const dir = mkdtempSync(join(tmpdir(), "torchshape-prefixes-"));
let client: LspTestClient;
const failures: string[] = [];

/** The server's resident memory, from /proc (the server is a child process of the test). */
function serverRss(): number {
  const status = readFileSync(`/proc/${client.process.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

beforeAll(async () => {
  ({ client } = await LspTestClient.start({ rootDir: dir }));
  client.connection.onNotification(LogMessageNotification.type, (m) => {
    if (/internal error|failed:/.test(m.message)) failures.push(m.message.split("\n")[0]!);
  });
});

afterAll(async () => {
  await client.stop();
});

it("every line prefix of every fixture, sent as edits: the latest version of each is analysed", async () => {
  for (const [k, f] of fixtureSources().entries()) {
    const uri = pathToFileURL(join(dir, `f${k}_${f.name.replace("/", "_")}`)).href;
    const lines = f.text.split("\n");
    await client.open(uri, "", 1);
    for (let n = 1; n <= lines.length; n++) await client.change(uri, n + 1, [{ text: linePrefix(f.text, n) }]);
    await client.waitForDiagnostics(uri, (p) => p.version === lines.length + 1, 60_000);
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }
  expect(failures).toEqual([]);
}, 900_000);

it("1,000 edits (100 of them analysed) leave the server's memory where the first hundred put it", async () => {
  const text = readFileSync(join(import.meta.dirname, "..", "..", "fixtures", "models", "resnet_basic.py"), "utf8");
  const lines = text.split("\n").length;
  const uri = pathToFileURL(join(dir, "typed.py")).href;
  await client.open(uri, text, 1);
  let rssAfterWarmUp = 0;
  for (let version = 2; version <= 1001; version++) {
    // every edit a different prefix; every tenth waits for its analysis, as a pause in typing does
    await client.change(uri, version, [{ text: linePrefix(text, lines - (version % 40)) }]);
    if (version % 10 === 1) await client.waitForDiagnostics(uri, (p) => p.version === version, 60_000);
    if (version === 101) rssAfterWarmUp = serverRss();
  }
  const growth = serverRss() - rssAfterWarmUp;
  expect(growth, `server grew by ${Math.round(growth / 2 ** 20)} MB`).toBeLessThan(64 * 2 ** 20);
  expect(failures).toEqual([]);
}, 900_000);
