// einops as knowledge: the pattern language (parse, bind, solve), its faults as
// einops-pattern diagnostics, and the version of einops the environment has.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/analysis/analyze.js";
import { toContractJson } from "../../src/report/json.js";
import { compactEinsumPattern } from "../../src/layers/einops/functions.js";
import { ELLIPSIS, parseExpression } from "../../src/layers/einops/pattern.js";
import { applyRecipe, prepareRecipe } from "../../src/layers/einops/recipe.js";
import { SymDim, dimToString, type Dim } from "../../src/shapes/dim.js";
import { divisibleFitText, inputsDivisible } from "../../src/shapes/solve.js";
import { goldenTorchVersion } from "../goldenTorch.js";

function shapeOf(pattern: string, op: Parameters<typeof prepareRecipe>[1], shape: Dim[], lengths: Record<string, Dim> = {}) {
  const recipe = prepareRecipe(pattern, op, Object.keys(lengths), shape.length);
  return applyRecipe(recipe, shape, new Map(Object.entries(lengths)));
}

function analyse(source: string, input: (number | string)[], searchPaths: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "torchshape-einops-"));
  const file = join(dir, "model.py");
  writeFileSync(file, source);
  const result = analyzeFile(file, {
    torchVersion: goldenTorchVersion,
    searchPaths,
    inputs: [{ shape: input.map((d): Dim => (typeof d === "number" ? d : SymDim.variable(d))), dtype: "float32" as const }],
  });
  const json = toContractJson(result);
  return { model: json.models[0], diagnostics: json.diagnostics };
}

describe("einops patterns", () => {
  it("parses groups, the ellipsis, () and 1 as einops does", () => {
    const e = parseExpression("b (h p1) ... () 1 (c 1) 3");
    expect(e.hasEllipsis).toBe(true);
    expect(e.composition.map((c) => (c === ELLIPSIS ? "..." : c.map((a) => (typeof a === "string" ? a : `#${a.size}`)).join(" ")))).toEqual(["b", "h p1", "...", "", "", "c", "#3"]);
    expect(() => parseExpression("a (b (c))")).toThrow("brackets inside brackets");
    expect(() => parseExpression("a a")).toThrow('duplicate dimension "a"');
    expect(() => parseExpression("_a b")).toThrow("underscore");
  });

  it("solves the one unknown axis of a group: h=4 on 16 gives the other factor 4", () => {
    const r = shapeOf("b (h w) c -> b h w c", "rearrange", [2, 16, 3], { h: 4 });
    expect(r.faults).toEqual([]);
    expect(r.shape).toEqual([2, 4, 4, 3]);
    expect(r.axes.get("w")).toMatchObject({ size: 4, source: "solved" });
  });

  it("expands the ellipsis, adds repeat's axes and drops reduced ones", () => {
    expect(shapeOf("b ... c -> b c ...", "rearrange", [2, 5, 6, 3]).shape).toEqual([2, 3, 5, 6]);
    expect(shapeOf("b c -> b k c 2", "repeat", [2, 3], { k: 4 }).shape).toEqual([2, 4, 3, 2]);
    expect(shapeOf("b c (h 2) w -> b c h", "max", [2, 3, 8, 5]).shape).toEqual([2, 3, 4]);
  });

  it("keeps symbolic sizes exact where they divide, and names the groups that do not", () => {
    const H = SymDim.variable("H");
    const r = shapeOf("b (h p) -> b h p", "rearrange", [2, H], { p: 7 });
    expect(r.faults.map((f) => f.kind)).toEqual(["indivisible"]);
    expect(dimToString(r.shape[1])).toBe("H // 7");
    const fit = inputsDivisible([{ size: H, divisor: 7 }, { size: SymDim.variable("W"), divisor: 7 }], ["H", "W"]);
    expect(fit.kind === "fits" && divisibleFitText(fit)).toBe("7k × 7k");
  });

  it("raises einops' errors for patterns that do not agree with the operation", () => {
    expect(() => prepareRecipe("a b -> a", "rearrange", [], 2)).toThrow("Identifiers only on one side");
    expect(() => prepareRecipe("a -> a b", "repeat", [], 1)).toThrow("Specify sizes for new axes in repeat");
    expect(() => prepareRecipe("a b -> a", "median" as never, [], 2)).toThrow("Unknown reduction median");
    expect(() => prepareRecipe("(a b) -> a b", "rearrange", [], 1)).toThrow("Could not infer sizes");
  });

  it("writes einops.einsum's named axes as torch.einsum's letters", () => {
    expect(compactEinsumPattern("batch h i d, batch h j d -> batch h i j")).toBe("abcd,abed->abce");
    expect(compactEinsumPattern("... i, ... i -> ...")).toBe("...a,...a->...");
  });
});

const model = (body: string) => `import torch
from torch import nn
import einops
from einops import rearrange
from einops.layers.torch import Rearrange

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.patches = Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=7, p2=7)

    def forward(self, x):
${body}
`;

describe("einops in model code", () => {
  it("reports a patch size that does not divide the image, with sizes that do", () => {
    const { diagnostics } = analyse(model("        return self.patches(x)"), [1, 3, 32, 30]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: "error", code: "einops-pattern", line: 10 });
    expect(diagnostics[0].message).toContain("32 is not divisible by p1=7 (dimension 2 into (h p1)); 30 is not divisible by p2=7");
    expect(diagnostics[0].fix).toBe("use an input of 28 × 28 or 35 × 35, or p1 in {2, 4, 8, 16, 32} and p2 in {2, 3, 5, 6, 10, 15, 30}");
  });

  it("names the inputs that fit a symbolic image", () => {
    const { diagnostics, model: m } = analyse(model("        return self.patches(x)"), ["N", 3, "H", "W"]);
    expect(diagnostics.map((d) => [d.severity, d.code])).toEqual([["info", "einops-pattern"]]);
    expect(diagnostics[0].message).toContain("fits inputs of 7k × 7k");
    expect(m.output_shape).toEqual(["N", "(H // 7) * (W // 7)", 147]);
  });

  it("reports a functional call on its own line, and a rank that does not match", () => {
    const { diagnostics } = analyse(model("        y = rearrange(x, 'b c h w -> b (c h w)')\n        return rearrange(y, 'b (c k) -> b c k', k=5)"), [1, 3, 4, 4]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "einops-pattern", line: 14 });
    expect(diagnostics[0].message).toContain("48 is not divisible by k=5");
    const rank = analyse(model("        return rearrange(x, 'b c h w -> b (c h w)')"), [3, 4, 4]).diagnostics;
    expect(rank[0].message).toContain("'b c h w' names 4 dimensions, but x is 3-D");
  });

  it("unpacks a starred shape on an unparenthesised right side, as einops-based models write it", () => {
    const { model: m, diagnostics } = analyse(model("        b, n, _, h = *x.shape, 4\n        return rearrange(x, 'b n d -> (b n) d').view(b * n * h, -1)"), [2, 3, 8]);
    expect(diagnostics).toEqual([]);
    expect(m.output_shape).toEqual([24, 2]);
  });

  it("reads the einops version of the environment: pack is there from 0.6", () => {
    const site = mkdtempSync(join(tmpdir(), "torchshape-einops-site-"));
    mkdirSync(join(site, "einops-0.5.0.dist-info"));
    writeFileSync(join(site, "einops-0.5.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: einops\nVersion: 0.5.0\n");
    const body = "        assert einops.__version__ == '0.5.0'\n        return x if hasattr(einops, 'pack') else x.sum(0)";
    expect(analyse(model(body), [2, 3], [site]).model.output_shape).toEqual([3]);
    expect(analyse(model(body.replace("0.5.0", "0.8.1")), [2, 3]).model.output_shape).toEqual([2, 3]);
  });
});
