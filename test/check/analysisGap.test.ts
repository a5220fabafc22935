// What torchshape cannot follow is said as its own limit, with the line it stopped
// on, never as a Python error that looks like the user's: an exception its evaluator
// raises inside library code, or for a Python builtin it does not have.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkPaths } from "../../src/check/check.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "torchshape-gap-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const user = (body: string) => `
import torch.nn as nn
from mylib.blocks import make_block

class Net(nn.Module):
    def __init__(self):
        super().__init__()
${body}

    def forward(self, x):
        return self.block(x)
`;

describe("analysis-gap", () => {
  it("an exception the evaluator raises in library code is its gap, placed at the library's line", () => {
    // library code is taken as correct (what PyTorch users import runs): an exception the evaluator raises there is its limit
    const dir = project({
      "mylib/__init__.py": "",
      "mylib/blocks.py": "import torch.nn as nn\n\ndef make_block(width):\n    pad = (1, 1) - 1\n    return nn.Conv2d(width, width, 3, padding=pad)\n",
      "net.py": user("        self.block = make_block(8)"),
    });
    const r = checkPaths([join(dir, "net.py")]);
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([["warning", "analysis-gap"]]);
    const d = r.diagnostics[0];
    expect(d.message).toBe(
      "torchshape could not follow the code that builds Net (in mylib/blocks.py:4; its evaluator stopped on TypeError: unsupported operand type(s) for -: 'tuple' and 'int'), so Net was not checked",
    );
    expect(d.location.file).toBe(join(dir, "net.py"));
    expect(d.related.map((x) => [x.location.file, x.location.span.line + 1, x.message])).toEqual([[join(dir, "mylib", "blocks.py"), 4, "torchshape could not follow this line"]]);
  });

  it("a Python builtin the evaluator lacks is its gap, even in the checked file", () => {
    const dir = project({ "mylib/__init__.py": "", "mylib/blocks.py": "", "net.py": user("        made = __build_class__(lambda: None, 'Made')\n        self.block = nn.Identity()") });
    const r = checkPaths([join(dir, "net.py")]);
    expect(r.diagnostics.map((d) => [d.code, d.location.span.line + 1])).toEqual([["analysis-gap", 8]]);
    expect(r.diagnostics[0].message).toMatch(/^torchshape could not follow the code that builds Net \(in net\.py:8; its evaluator stopped on NameError: name '__build_class__' is not defined\)/);
  });

  it("an exception the code raises itself stays the code's (build-error), as does a NameError of the user's own making", () => {
    const dir = project({
      "mylib/__init__.py": "",
      "mylib/blocks.py": "def make_block(width):\n    raise ValueError(f'width {width} is not supported')\n",
      "net.py": user("        self.block = make_block(8)"),
      "typo.py": user("        self.block = make_blok(8)"),
    });
    const raised = checkPaths([join(dir, "net.py")]).diagnostics;
    expect(raised.map((d) => [d.severity, d.code, d.message])).toEqual([["warning", "build-error", "building Net raised ValueError: width 8 is not supported"]]);
    const typo = checkPaths([join(dir, "typo.py")]).diagnostics;
    expect(typo.map((d) => [d.code, d.message])).toEqual([["build-error", "building Net raised NameError: name 'make_blok' is not defined"]]);
  });
});
