// What the CLI prints goes to the file descriptors directly (bin/heldOutput.cjs): a
// summary never builds node's stdout and stderr streams, which cost about 6 ms of
// node's start; and where the descriptor refuses a write for now (a non-blocking pipe that is
// full, as a parent may hand over), the rest goes through the stream, all of it, in order.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "torchshape.cjs");
// 80 kB of JSON: more than a pipe holds (64 kB)
const large = [join(root, "fixtures", "models", "deep_resnet.py"), "--format", "json"];

describe("the CLI's output", () => {
  it("of a summary builds neither stdout's nor stderr's stream", () => {
    const script = `process.on("exit", () => require("node:fs").writeSync(2, JSON.stringify(process.moduleLoadList))); require(${JSON.stringify(bin)});`;
    const r = spawnSync(process.execPath, ["-e", script, bin, join(root, "fixtures", "models", "article_net.py"), "--format", "json"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(JSON.parse(r.stdout).models[0].total_params).toBe(18090);
    const loaded = JSON.parse(r.stderr) as string[];
    // what a Writable stream, a socket (a pipe), a file and a terminal load
    expect(loaded.filter((m) => /^NativeModule (internal\/streams\/(writable|destroy|end-of-stream)|tty|net|internal\/fs\/sync_write_stream)$/.test(m))).toEqual([]);
  });

  it("arrives whole and in order through a non-blocking pipe that fills before it is read", () => {
    const expected = spawnSync(process.execPath, [bin, ...large], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(expected.status).toBe(0);
    expect(expected.stdout.length).toBeGreaterThan(65_536);
    const python = [
      "import os, subprocess, sys, time",
      "r, w = os.pipe()",
      "os.set_blocking(w, False)",
      "p = subprocess.Popen(sys.argv[1:], stdout=w)",
      "os.close(w)",
      "time.sleep(1.5)",
      "chunks = []",
      "while True:",
      "    b = os.read(r, 65536)",
      "    if not b: break",
      "    chunks.append(b)",
      "sys.stderr.write(f'status {p.wait()}\\n')",
      "sys.stdout.buffer.write(b''.join(chunks))",
    ].join("\n");
    const r = spawnSync("python3", ["-c", python, process.execPath, bin, ...large], { cwd: root, encoding: "utf8", timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    expect(r.stderr).toBe("status 0\n");
    expect(r.stdout).toBe(expected.stdout);
  });
});
