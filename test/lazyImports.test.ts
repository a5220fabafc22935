// Imports are lazy: an imported module is evaluated only when one of its names
// is needed, a name only moved (an argument, a default, functools.partial) is
// not needed, and a package's __init__ does not run to reach a submodule.
// A module that runs leaves a note (its top level raises), so notes tell.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../src/analysis/analyze.js";

function makePackage(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), "torchshape-lazy-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const ranMarker = (name: string) => `raise RuntimeError("${name} was evaluated")\n`;

const pkg = makePackage({
  "pkg/__init__.py": `${ranMarker("pkg/__init__")}`,
  "pkg/heavy.py": `${ranMarker("heavy")}class Heavy:\n    pass\nSIZE = 4\n`,
  "pkg/layers/__init__.py": `${ranMarker("pkg/layers/__init__")}`,
  "pkg/layers/block.py": "import torch.nn as nn\n\nclass Block(nn.Module):\n    def __init__(self, n):\n        super().__init__()\n        self.fc = nn.Linear(n, n)\n\n    def forward(self, x):\n        return self.fc(x)\n",
  "pkg/models/__init__.py": `${ranMarker("pkg/models/__init__")}`,
  "pkg/models/net.py": [
    "from functools import partial",
    "import torch.nn as nn",
    "from ..heavy import Heavy, SIZE",
    "from ..layers.block import Block",
    "from pkg.layers.block import Block as SameBlock",
    "import pkg.heavy",
    "",
    "def helper(factory=Heavy, other=pkg.heavy.Heavy):",
    "    return factory",
    "",
    "MAKERS = {'heavy': partial(Heavy, 1)}",
    "",
    "class Net(nn.Module):",
    "    def __init__(self, use_heavy=False):",
    "        super().__init__()",
    "        helper(Heavy)",
    "        self.a = Block(SIZE if use_heavy else 8)",
    "        self.b = SameBlock(8)",
    "",
    "    def forward(self, x):",
    "        return self.b(self.a(x))",
    "",
  ].join("\n"),
});
const netFile = join(pkg, "pkg", "models", "net.py");

function evaluatedModules(model: string): string[] {
  const result = analyzeFile(netFile, { model, inputs: [{ shape: [2, 8], dtype: "float32" }] });
  return result.notes.map((n) => /(\S+) was evaluated/.exec(n.message)?.[1]).filter((m): m is string => m !== undefined);
}

describe("lazy imports", () => {
  it("evaluates only the modules whose names are used", () => {
    // Heavy and pkg.heavy.Heavy only passed along (defaults, an argument, partial): heavy never runs
    expect(evaluatedModules("Net()")).toEqual([]);
  });
  it("evaluates a module once a name of it is needed", () => {
    // SIZE is needed to build the Linear: now heavy runs (the marker note), still no package __init__
    expect(evaluatedModules("Net(use_heavy=True)")).toEqual(["heavy"]);
  });
  it("builds the model from the modules it did evaluate", () => {
    const result = analyzeFile(netFile, { model: "Net()", inputs: [{ shape: [2, 8], dtype: "float32" }] });
    expect(result.models[0].layers.map((l) => [l.name, l.params])).toEqual([
      ["a.fc", 72],
      ["b.fc", 72],
    ]);
  });
});
