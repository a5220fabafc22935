// The evaluator's resource bounds, through the CLI (which runs the analysis on a
// thread with a large stack): each cut is a note saying what was cut and where, the
// rest of the file is analysed as far as it honestly can be, and `check` never calls
// a file it cut short clean. Files in fixtures/limits.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const limits = join(root, "fixtures", "limits");

function cli(...args: string[]) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(root, "bin", "torchshape.cjs"), ...args], { cwd: root, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

function summary(file: string) {
  const json = cli("-f", "json", "--torch-version", "2.1.0", join(limits, file));
  const table = cli("--torch-version", "2.1.0", join(limits, file));
  return { model: JSON.parse(json.stdout).models[0], notes: table.stdout.split("\n").filter((l) => l.includes(": note: ") && !l.includes("environment")), json };
}

describe("resource bounds", () => {
  it("[0] * (10 ** 9) is an unknown list with a note, the model still analysed", () => {
    const { model, notes, json } = summary("huge_list.py");
    expect(model.output_shape).toEqual([2, 4]);
    expect(notes).toEqual([expect.stringMatching(/huge_list\.py:5: note: a list of 1,000,000,000 items is past the analysis limit/)]);
    expect(json.code).toBe(0);
  });

  it("integers past 2**53, computed or literal, are unknown with a note on their line", () => {
    const { model, notes } = summary("huge_integer.py");
    expect(model.output_shape).toEqual([2, 4]);
    expect(notes).toEqual([expect.stringMatching(/huge_integer\.py:5: note: an integer past 2\*\*53/), expect.stringMatching(/huge_integer\.py:6: note: an integer past 2\*\*53/)]);
  });

  it("an endless loop stops at the iteration limit, and the model below is analysed", () => {
    const { model, notes } = summary("endless_loop.py");
    expect(model.output_shape).toEqual([2, 4]);
    expect(notes).toEqual([expect.stringMatching(/endless_loop\.py:6: note: loop at line 6 stopped after 1,000,000 iterations/)]);
  });

  it("recursion 900 deep is followed; past Python's 1,000 it is a RecursionError the code catches", () => {
    const { model, notes } = summary("recursion.py");
    // depth(900) - 896 + caught, as PyTorch gives it: torch.Size([2, 5])
    expect(model.output_shape).toEqual([2, 5]);
    expect(notes).toEqual([expect.stringMatching(/recursion\.py:11: note: recursion deeper than 1000 calls \(Python's limit\) raised RecursionError/)]);
  });

  it("allocating past the budget of values stops the file, said in one line", () => {
    const r = cli(join(limits, "allocation.py"));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^torchshape: .*allocation\.py: analysis stopped while loading the module: more than 10,000,000 values allocated$/);
  });

  it("a torch rule asked for 10**9 pieces or rows gives an unknown with a note, the model still analysed", () => {
    const { model, notes } = summary("rule_pieces.py");
    expect(model.output_shape).toEqual([2, 4]);
    expect(notes).toEqual([
      expect.stringMatching(/rule_pieces\.py:16: note: Tensor\.split\(\.\.\.\): a tuple of tensors of 1,000,000,000 items is past the analysis limit of 1,000,000/),
      expect.stringMatching(/rule_pieces\.py:17: note: a tensor's rows of 1,000,000,000 items is past the analysis limit of 1,000,000/),
      expect.stringMatching(/rule_pieces\.py:17: note: cannot iterate over a value of type 'tensor' in a comprehension/),
    ]);
  });

  it("a layer rule's own loops keep the budgets: an LSTM of 10**8 layers and a TransformerEncoder of 10**7 copies stop their model", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-limits-"));
    for (const [name, layer] of [["lstm", "nn.LSTM(8, 8, num_layers=10 ** 8)"], ["encoder", "nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2), num_layers=10 ** 7)"]]) {
      const file = join(dir, `${name}.py`);
      writeFileSync(file, `import torch.nn as nn\n\n\n# torchshape: input=2,8\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.big = ${layer}\n\n    def forward(self, x):\n        return x\n`);
      const r = cli("check", "--timeout", "2", "--memory-limit", "256", file);
      expect(r.stdout).toMatch(/analysis of Net stopped: (time budget of 2000 ms|memory budget of 256 MB) exceeded/);
      expect(r.stdout.trim().split("\n").at(-1)).toBe("No shape errors in what could be analysed, 1 warning in 1 file (0 models checked; 1 model class: 0 analysed, 1 not analysed: 1 could not build, 1 file cut short by analysis limits)");
      // the budget holds inside the rule: stopped near it, not after building everything
      expect(r.ms).toBeLessThan(15_000);
    }
  }, 60_000);

  it("a layer called in a loop of 10**14 steps stops its model at 20,000 recorded calls, within the budget", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-limits-"));
    const file = join(dir, "cells.py");
    writeFileSync(file, "import torch\nimport torch.nn as nn\n\n\n# torchshape: input=444444444444444,3,5\nclass Decoder(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.cell = nn.GRUCell(5, 7)\n\n    def forward(self, x):\n        h = torch.zeros(x.size(1), 7)\n        for i in range(x.size(0)):\n            h = self.cell(x[i], h)\n        return h\n");
    const r = cli("check", "--timeout", "30", file);
    expect(r.stdout).toMatch(/analysis of Decoder stopped: more than 20,000 layer calls in one forward pass/);
    expect(r.stdout.trim().split("\n").at(-1)).toBe("No shape errors in what could be analysed, 1 warning in 1 file (1 model checked, 1 file cut short by analysis limits)");
  }, 60_000);

  it("a file's forward passes record at most 20,000 layer calls together: the second of two models of 12,000 stops, said on its row", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-limits-"));
    const file = join(dir, "two.py");
    const model = (name: string) => `# torchshape: input=12000,2,5\nclass ${name}(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.cell = nn.GRUCell(5, 7)\n\n    def forward(self, x):\n        h = torch.zeros(x.size(1), 7)\n        for i in range(x.size(0)):\n            h = self.cell(x[i], h)\n        return h\n`;
    writeFileSync(file, `import torch\nimport torch.nn as nn\n\n\n${model("First")}\n\n${model("Second")}`);
    const r = cli("-f", "json", file);
    const models = (JSON.parse(r.stdout) as { models: { name: string; layers: unknown[]; incomplete?: string }[] }).models;
    expect(models.map((m) => [m.name, m.layers.length, m.incomplete])).toEqual([
      ["First", 12000, undefined],
      ["Second", 8000, "more than 20,000 layer calls in the file's forward passes"],
    ]);
  }, 60_000);

  it("a file that builds 10**6 modules stops at 200,000, said where, and its report is written within the budget", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-limits-"));
    const file = join(dir, "many_modules.py");
    writeFileSync(file, "import torch.nn as nn\n\n\n# torchshape: input=2,4\nclass Net(nn.Module):\n    def __init__(self, depth=10 ** 6):\n        super().__init__()\n        self.blocks = nn.Sequential(*[nn.Linear(4, 4) for _ in range(depth)])\n\n    def forward(self, x):\n        return self.blocks(x)\n");
    const r = cli("check", "--timeout", "60", file);
    expect(r.stdout).toMatch(/many_modules\.py:5:7: warning\[analysis-limit\] analysis of Net stopped: more than 200,000 modules built/);
    expect(r.stdout).toContain("many_modules.py: note: analysed in part: more than 200,000 modules built (the analysis limit), the last at line 8; the analysis stopped there");
    expect(r.stdout.trim().split("\n").at(-1)).toBe("No shape errors in what could be analysed, 1 warning in 1 file (0 models checked; 1 model class: 0 analysed, 1 not analysed: 1 could not build, 1 file cut short by analysis limits)");
  }, 120_000);

  it("parsing counts in the file's time budget and stops at its end (a 1.6 MB line of names)", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-limits-"));
    const file = join(dir, "long_line.py");
    writeFileSync(file, `names = [${Array.from({ length: 160_000 }, (_, i) => `"n${i}"`).join(", ")}]\n`);
    const r = cli("check", "--timeout", "0.2", file);
    expect(r.stdout).toContain(`${file}: note: not checked: reading the file alone took longer than the time budget of 200 ms`);
    expect(r.stdout.trim().split("\n").at(-1)).toBe("No shape errors in what could be analysed in 1 file (0 models checked, 1 file not checked)");
    // stopped inside the parse, not after it (a whole parse of this line takes about a second)
    expect(r.ms).toBeLessThan(2500);
  }, 60_000);

  it("check counts every file it cut short or could not check, and claims no clean result for them", () => {
    const r = cli("check", "--torch-version", "2.1.0", limits);
    const last = r.stdout.trim().split("\n").at(-1);
    expect(last).toBe("No shape errors in what could be analysed in 6 files (5 models checked, 5 files cut short by analysis limits, 1 file not checked)");
    for (const f of ["endless_loop.py", "huge_integer.py", "huge_list.py", "recursion.py", "rule_pieces.py"]) expect(r.stdout).toMatch(new RegExp(`${f}: note: analysed in part: `));
    const json = JSON.parse(cli("check", "-f", "json", "--torch-version", "2.1.0", limits).stdout);
    expect(json.cut_short.map((c: { file: string }) => c.file.split("/").at(-1)).sort()).toEqual(["endless_loop.py", "huge_integer.py", "huge_list.py", "recursion.py", "rule_pieces.py"]);
  });

  it("check's memory budget is an option; a bad one is a usage error", () => {
    const r = cli("check", "--memory-limit", "lots", join(limits, "huge_list.py"));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("torchshape: --memory-limit must be a positive number of megabytes, not 'lots'");
  });
});
