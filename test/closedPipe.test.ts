// A reader that closes the pipe early (`| head -c 0`, `| head -1`): the CLI stops
// quietly, with no EPIPE stack trace, and the status of a writer stopped by SIGPIPE
// (141), whatever the command and the format.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "torchshape.cjs");

/** The CLI's output piped into `reader`; its exit status as `set -o pipefail` sees it, and its stderr. */
function piped(args: string[], reader: string) {
  const command = `set -o pipefail; "${process.execPath}" "${bin}" ${args.map((a) => `'${a}'`).join(" ")} 2>"$ERR_FILE" | ${reader}; echo "status $?" >&2; cat "$ERR_FILE" >&2`;
  const errFile = join(root, ".cache", `closed-pipe-${process.pid}-${Math.random().toString(36).slice(2)}.err`);
  const r = spawnSync("bash", ["-c", `mkdir -p "$(dirname "$ERR_FILE")"; ${command}; rm -f "$ERR_FILE"`], { cwd: root, encoding: "utf8", timeout: 60_000, env: { ...process.env, ERR_FILE: errFile } });
  const [status, ...stderr] = r.stderr.split("\n");
  return { status: Number(status.replace("status ", "")), stderr: stderr.join("\n").trim() };
}

const model = "fixtures/models/resnet_basic.py";
const commands: [string, string[]][] = [
  ["summary table", [model, "-m", "ResNetCifar", "--format", "table"]],
  ["summary json", [model, "--format", "json"]],
  ["summary markdown", [model, "--format", "markdown"]],
  ["check text", ["check", "fixtures/buggy"]],
  ["check sarif", ["check", "--format", "sarif", "fixtures/buggy"]],
  ["annotate --check", ["annotate", "--check", model]],
  ["graph mermaid", ["graph", model, "-m", "ResNetCifar", "-f", "mermaid"]],
  ["graph html", ["graph", model, "-m", "ResNetCifar", "-f", "html"]],
];

describe("a closed standard output ends the CLI quietly", () => {
  for (const [what, args] of commands) {
    it(`${what} | head -c 0`, () => {
      const r = piped(args, "head -c 0");
      expect(r.stderr).toBe("");
      expect(r.status).toBe(141);
    }, 60_000);
  }

  it("keeps its own status when the reader takes all it needs (| head -1 of a short output)", () => {
    const r = piped(["check", "fixtures/buggy/article_view_28.py"], "head -1 >/dev/null");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
  }, 60_000);
});
