// End to end in a real editor: Neovim's built-in LSP client (`nvim --headless`)
// starts `torchshape lsp`, opens a buggy model, waits for its diagnostics and
// writes what it got to a file that this test reads back.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { positionOf, repoRoot, torchshapeBin } from "./client.js";

interface NeovimReport {
  error?: string;
  nvim?: string;
  diagnostics_arrived?: boolean;
  diagnostics?: { lnum: number; col: number; end_lnum: number; end_col: number; severity: number; source: string; message: string; code: string }[];
  hover?: { contents: { kind: string; value: string } } | null;
  inlay_hint_provider?: boolean;
}

describe("Neovim's LSP client", () => {
  it("shows torchshape's diagnostic and hover for a buggy model", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-nvim-"));
    const source = readFileSync(join(repoRoot, "fixtures", "models", "article_net.py"), "utf8").replace("# torchshape: input=1,3,32,32", "# torchshape: input=4,3,28,28");
    const file = join(dir, "net.py");
    writeFileSync(file, source);
    const out = join(dir, "report.json");
    // an editor with no user config, no shada, no swap files, state kept inside the temp folder
    const home = join(dir, "home");
    mkdirSync(home);
    const view = positionOf(source, "x.view(-1, 8 * 8 * 8)");
    const fc1 = positionOf(source, "self.fc1(x)", 6);
    const r = spawnSync("nvim", ["--headless", "--noplugin", "-n", "-i", "NONE", "-u", join(import.meta.dirname, "neovim", "diagnostics.lua")], {
      cwd: dir,
      encoding: "utf8",
      timeout: 80_000,
      killSignal: "SIGKILL",
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, ".config"),
        XDG_DATA_HOME: join(home, ".local", "share"),
        XDG_STATE_HOME: join(home, ".local", "state"),
        XDG_CACHE_HOME: join(home, ".cache"),
        TORCHSHAPE_NVIM_FILE: file,
        TORCHSHAPE_NVIM_OUT: out,
        TORCHSHAPE_NVIM_CMD: JSON.stringify([process.execPath, torchshapeBin, "lsp"]),
        TORCHSHAPE_NVIM_TIMEOUT_MS: "30000",
        TORCHSHAPE_NVIM_HOVER: `${fc1.line},${fc1.character}`,
      },
    });
    expect(r.error, `nvim did not run: ${r.error?.message}; stderr: ${r.stderr}`).toBeUndefined();
    expect(existsSync(out), `nvim wrote no report (exit ${r.status}); stdout: ${r.stdout}; stderr: ${r.stderr}`).toBe(true);
    const report = JSON.parse(readFileSync(out, "utf8")) as NeovimReport;
    expect(report.error).toBeUndefined();
    expect(report.diagnostics_arrived).toBe(true);
    expect(report.diagnostics).toHaveLength(1);
    expect(report.diagnostics?.[0]).toMatchObject({
      code: "view-size",
      source: "torchshape",
      severity: 1, // vim.diagnostic.severity.ERROR
      lnum: view.line,
      col: view.character,
      end_lnum: view.line,
      end_col: view.character + "x.view(-1, 8 * 8 * 8)".length,
    });
    expect(report.hover?.contents.value).toContain("**fc1**: Linear, 16,416 params");
    expect(report.inlay_hint_provider).toBe(true);
  }, 100_000);
});
