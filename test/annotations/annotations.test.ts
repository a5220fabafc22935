// Shape annotations (issue 16): read in every form, used as inputs, checked
// against inferred shapes, and the functions they annotate analysed.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeFile } from "../../src/analysis/analyze.js";
import { annotationVocabulary, readDimToken, readShapeAnnotation } from "../../src/analysis/shapeAnnotations.js";
import type { AnalysisResult } from "../../src/analysis/summary.js";
import { checkPaths } from "../../src/check/check.js";
import { applyEdits } from "../../src/annotate/annotationEdits.js";
import { annotateFile } from "../../src/annotate/annotateFile.js";
import { annotateShapesAction } from "../../src/lsp/annotateAction.js";
import { inlayHintsFor } from "../../src/lsp/inlayHints.js";
import { hoverFor } from "../../src/lsp/hover.js";
import { targetAt } from "../../src/lsp/syntaxAtPosition.js";
import { parseTree } from "../../src/parse/parser.js";
import { convertModule } from "../../src/parse/toAst.js";
import type { Expr } from "../../src/parse/ast.js";
import { dimEvaluate, type Dim } from "../../src/shapes/dim.js";
import { goldenTorchVersion } from "../goldenTorch.js";
import type { GoldenModel } from "../goldenFiles.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "torchshape-annotations-"));

function write(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

/** The annotation of `x` in `def f(x: ...)` below the given header, as read. */
function readParam(header: string, annotation: string) {
  const syntax = convertModule(parseTree(`${header}\ndef f(x: ${annotation}): pass\n`).rootNode);
  const def = syntax.body.find((s) => s.kind === "def");
  if (def?.kind !== "def") throw new Error("no def");
  return readShapeAnnotation(def.params[0].annotation as Expr, annotationVocabulary(syntax));
}

const shapeText = (r: ReturnType<typeof readParam>) => (r.kind === "shape" ? r.shape.text : r.kind);

describe("reading annotations", () => {
  it("reads jaxtyping's dimension symbols", () => {
    expect(readDimToken("3")).toEqual({ kind: "size", size: 3 });
    expect(readDimToken("batch")).toEqual({ kind: "name", name: "batch", broadcast: false });
    expect(readDimToken("#batch")).toEqual({ kind: "name", name: "batch", broadcast: true });
    expect(readDimToken("*batch")).toEqual({ kind: "variadic", name: "batch", broadcast: false });
    expect(readDimToken("...")).toEqual({ kind: "variadic", broadcast: false });
    expect(readDimToken("_")).toEqual({ kind: "any" });
    expect(readDimToken("_hidden")).toEqual({ kind: "any" });
    expect(readDimToken("rows=4")).toEqual({ kind: "size", size: 4 });
    expect(readDimToken("n+1")).toMatchObject({ kind: "expression" });
    expect(readDimToken("(c")).toMatch(/unclosed/);
  });

  it("finds the wrappers under whatever name they are imported", () => {
    expect(shapeText(readParam("from jaxtyping import Float as F", 'F[Tensor, "b c"]'))).toBe("[b, c]");
    expect(shapeText(readParam("import jaxtyping as jt", 'jt.Int64[Tensor, "b 3"]'))).toBe("[b, 3]");
    expect(readParam("import jaxtyping as jt", 'jt.Int64[Tensor, "b 3"]')).toMatchObject({ shape: { dtype: "int64" } });
    expect(shapeText(readParam("from torchtyping import TensorType as TT\nimport torch", 'TT["batch", 3, torch.long]'))).toBe("[batch, 3]");
    expect(readParam("from torchtyping import TensorType as TT\nimport torch", 'TT["batch", 3, torch.long]')).toMatchObject({ shape: { dtype: "int64" } });
    expect(shapeText(readParam("import typing as t\nfrom torchshapeflow import Shape", 't.Annotated[torch.Tensor, Shape("B", 3)]'))).toBe("[B, 3]");
    expect(shapeText(readParam("from typing_extensions import Annotated", 'Annotated[Tensor, "B T D"]'))).toBe("[B, T, D]");
    expect(shapeText(readParam("from typing import Optional\nfrom jaxtyping import Float", 'Optional[Float[Tensor, "n"]]'))).toBe("[n]");
    // a string on something other than a tensor is a description, not a shape
    expect(readParam("from typing import Annotated", 'Annotated[int, "the number of (heads"]').kind).toBe("none");
    // a Float of another library is not jaxtyping's
    expect(readParam("from mylib import Float", 'Float[Tensor, "b c"]').kind).toBe("none");
  });

  it("reads aliases, TypeAlias or plain", () => {
    const header = 'from typing import TypeAlias\nfrom jaxtyping import Float\nImage: TypeAlias = Float[Tensor, "b 3 h w"]\nMask = Float[Tensor, "b h w"]';
    expect(shapeText(readParam(header, "Image"))).toBe("[b, 3, h, w]");
    expect(shapeText(readParam(header, "Mask"))).toBe("[b, h, w]");
  });

  it("says why an annotation does not parse", () => {
    const r = readParam("from jaxtyping import Float", 'Float[Tensor, "b (c"]');
    expect(r).toMatchObject({ kind: "unreadable" });
  });
});

/** Evaluate every symbolic size with the sizes of a real run. */
function concrete(shape: unknown, sizes: ReadonlyMap<string, number>): unknown {
  if (!Array.isArray(shape)) return shape;
  return shape.map((d) => (Array.isArray(d) ? concrete(d, sizes) : typeof d === "number" ? d : dimEvaluate(d as Dim, sizes)));
}

describe("annotations as inputs", () => {
  const fixture = join(root, "fixtures", "models", "annotated_inputs.py");
  const golden = JSON.parse(readFileSync(fixture.replace(/\.py$/, ".golden.json"), "utf8")) as { models: GoldenModel[] };
  const withoutComments = write("annotated_inputs.py", readFileSync(fixture, "utf8").replace(/^# torchshape:.*$/gm, ""));

  it("need no other input, and give the rows of the real run (named sizes at the run's values)", () => {
    const result = analyzeFile(withoutComments, { torchVersion: goldenTorchVersion });
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    const sizes = new Map([["B", 2], ["T", 5]]);
    for (const g of golden.models) {
      const m = result.models.find((x) => x.name === g.name)!;
      expect(m.inputSource, g.name).toBe("annotation");
      expect(m.layers.map((r) => [r.name, concrete(r.inputShape, sizes), concrete(r.outputShape, sizes)])).toEqual(g.layers.map((r) => [r.name, r.input_shape, r.output_shape]));
    }
    // the names are shared across the signature: both arguments are [B, T, 8]
    const pair = result.models.find((m) => m.name === "PairEncoder")!;
    expect(pair.inputs.map((i) => i.shape.map(String))).toEqual([["B", "T", "8"], ["B", "T", "8"]]);
  });

  it("come after --input and the # torchshape comment", () => {
    expect(analyzeFile(fixture, { torchVersion: goldenTorchVersion, model: "PairEncoder" }).models[0].inputSource).toBe("comment");
    const option = analyzeFile(withoutComments, { torchVersion: goldenTorchVersion, model: "PairEncoder", inputs: [{ shape: [3, 4, 8], dtype: "float32" }, { shape: [3, 4, 8], dtype: "float32" }] });
    expect(option.models[0].inputSource).toBe("option");
    expect(option.models[0].layers[0].inputShape).toEqual([3, 4, 8]);
  });

  it("take no dtype from an annotation that states none: no embedding-index error on Shape(...) tokens", () => {
    const file = write(
      "tokens.py",
      ["from typing import Annotated", "import torch.nn as nn", "from torch import Tensor", "from torchshapeflow import Shape", "", "class Lm(nn.Module):", "    def __init__(self):", "        super().__init__()", "        self.embed = nn.Embedding(100, 8)", "", '    def forward(self, tokens: Annotated[Tensor, Shape("B", "T")]):', "        return self.embed(tokens)", ""].join("\n"),
    );
    const result = analyzeFile(file, { torchVersion: goldenTorchVersion });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.models[0].outputShape).toEqual(expect.arrayContaining([expect.anything()]));
  });
});

const header = ["import torch", "import torch.nn as nn", "import torch.nn.functional as F", "from torch import Tensor", "from jaxtyping import Float", ""];

function diagnosticsOf(result: AnalysisResult) {
  return result.diagnostics.map((d) => ({ severity: d.severity, code: d.code, line: d.location.span.line + 1, message: d.message }));
}

describe("annotations as checks", () => {
  it("a return that differs only for some sizes is an info naming the sizes that fit", () => {
    const file = write(
      "pooled.py",
      [...header, "class Pool(nn.Module):", '    def forward(self, x: Float[Tensor, "b 8 h w"]) -> Float[Tensor, "b 8 16 16"]:', "        return F.max_pool2d(x, 2)", ""].join("\n"),
    );
    const found = diagnosticsOf(analyzeFile(file, { torchVersion: goldenTorchVersion }));
    expect(found).toEqual([expect.objectContaining({ severity: "info", code: "annotation", line: 9 })]);
    expect(found[0].message).toMatch(/only for inputs of .*32/);
  });

  it("annotated assignments are checked, and named sizes bound by the call", () => {
    const file = write(
      "assign.py",
      [...header, 'def project(x: Float[Tensor, "n 4"], w: Float[Tensor, "4 m"]) -> Tensor:', '    y: Float[Tensor, "n n"] = x @ w', "    return y", ""].join("\n"),
    );
    const found = diagnosticsOf(analyzeFile(file, { torchVersion: goldenTorchVersion }));
    expect(found).toEqual([expect.objectContaining({ code: "annotation", line: 8 })]);
    expect(found[0].severity).toBe("info");
    expect(found[0].message).toMatch(/only when m = n/);
  });

  it("a provable return mismatch is an error at the return, related to the annotation", () => {
    const file = write("ret.py", [...header, 'def head(x: Float[Tensor, "b 128"]) -> Float[Tensor, "batch 10"]:', "    return x * 2", ""].join("\n"));
    const result = analyzeFile(file, { torchVersion: goldenTorchVersion });
    expect(result.diagnostics).toHaveLength(1);
    const d = result.diagnostics[0];
    expect(d.message).toBe("head returns [b, 128] but is annotated [batch, 10] (dimension 1: 128 is not 10)");
    expect(d.location.span.line + 1).toBe(8);
    expect(d.related.map((r) => r.location.span.line + 1)).toEqual([7]);
  });
});

describe("functions analysed from their annotations", () => {
  const file = write(
    "helpers.py",
    [...header, 'def attention(q: Float[Tensor, "b h n 64"], k: Float[Tensor, "b h 128 n"]):', "    scores = q @ k", "    return scores", "", 'def loss(pred: Float[Tensor, "b 10"], target, weight=None):', "    diff = pred - target", "    return diff", "", "def untyped(x):", "    return x @ x", ""].join("\n"),
  );

  it("are analysed with their annotated inputs, and counted by check", () => {
    const result = checkPaths([file], { torchVersion: goldenTorchVersion });
    expect(result.functionsChecked).toBe(2);
    expect(result.functions.map((f) => f.name)).toEqual(["attention", "loss"]);
    expect(result.diagnostics.map((d) => [d.code, d.location.span.line + 1])).toEqual([["matmul-shape", 8]]);
  });

  it("give hovers on their annotated arguments and on the names assigned inside them", () => {
    const result = analyzeFile(file, { torchVersion: goldenTorchVersion, allowNoModels: true });
    const text = readFileSync(file, "utf8");
    const tree = parseTree(text);
    const hover = (line: number, character: number) => {
      const target = targetAt(tree, { line, character });
      const h = target ? hoverFor(result, result.functions![0].file, target, { line, character }) : undefined;
      return h && typeof h.contents === "object" && "value" in h.contents ? h.contents.value : undefined;
    };
    // `    scores = q @ k` (0-based line 7): q, then scores
    expect(hover(7, 13)).toBe("**q** (annotated input): `[b, h, n, 64]`");
    expect(hover(7, 5)).toBe("**scores**: `[b, h, n, n]`");
  });

  it("give inlay hints inside them", () => {
    const result = analyzeFile(file, { torchVersion: goldenTorchVersion, allowNoModels: true });
    const hints = inlayHintsFor(result, result.functions![0].file, { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } }, () => undefined, () => 80);
    expect(hints.map((h) => [h.position.line, h.label])).toEqual([[7, "[b, h, n, n]"]]);
  });
});

describe("annotate", () => {
  // fixtures of every kind: convolutions, sequences, several inputs, integer inputs, tuple outputs
  const fixtures = ["article_net.py", "annotated_inputs.py", "mlp_loops.py", "lstm_text.py", "attention.py", "resnet_basic.py", "functional_cnn.py", "dcgan.py"]
    .map((f) => join(root, "fixtures", "models", f))
    .filter((f) => existsSync(f));

  it("has fixtures to round-trip", () => expect(fixtures.length).toBeGreaterThanOrEqual(3));

  for (const style of ["jaxtyping", "torchtyping", "comment"] as const) {
    it(`round-trips in the ${style} style: annotated, checked again with zero findings, and a second run changes nothing`, () => {
      for (const fixture of fixtures) {
        const file = write(`${style}_${basename(fixture)}`, readFileSync(fixture, "utf8"));
        const { before, after } = annotateFile(file, style);
        if (style !== "comment" && !fixture.endsWith("annotated_inputs.py")) expect(after, fixture).not.toBe(before);
        writeFileSync(file, after);
        // only annotations and one import line changed
        const changed = after.split("\n").filter((l) => !before.split("\n").includes(l));
        for (const l of changed) expect(l, fixture).toMatch(/^(from (jaxtyping|torchtyping|torch) import |\s*def forward\(|\s*# torchshape shapes:)/);
        const checked = checkPaths([file], { torchVersion: goldenTorchVersion });
        expect(checked.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), fixture).toEqual([]);
        expect(annotateFile(file, style).after, fixture).toBe(after);
      }
    });
  }

  it("gives the annotated model its inputs without any other source, with readable names", () => {
    const file = write(
      "symbolic.py",
      ["import torch", "import torch.nn as nn", "import torch.nn.functional as F", "", "# torchshape: input=N,3,H,W", "class Net(nn.Module):", "    def __init__(self):", "        super().__init__()", "        self.conv = nn.Conv2d(3, 16, 3, padding=1)", "", "    def forward(self, x):", "        return F.max_pool2d(self.conv(x), 2)", ""].join("\n"),
    );
    const { after } = annotateFile(file, "jaxtyping");
    expect(after).toContain('def forward(self, x: Float[torch.Tensor, "batch 3 height width"]) -> Float[torch.Tensor, "batch 16 height//2 width//2"]:');
    expect(after).toContain("from jaxtyping import Float\n");
    writeFileSync(file, after.replace("# torchshape: input=N,3,H,W\n", ""));
    const result = analyzeFile(file, { torchVersion: goldenTorchVersion });
    expect(result.models[0].inputSource).toBe("annotation");
    expect(result.diagnostics).toEqual([]);
  });

  it("is the editor's 'Annotate shapes' code action", () => {
    const file = write("action.py", readFileSync(join(root, "fixtures", "models", "article_net.py"), "utf8"));
    const text = readFileSync(file, "utf8");
    const action = annotateShapesAction(analyzeFile(file, { torchVersion: goldenTorchVersion, source: text }), file, text, "file:///action.py");
    expect(action?.title).toBe("Annotate shapes");
    const edits = action!.edit!.changes!["file:///action.py"];
    expect(applyEdits(text, edits.map((e) => ({ line: e.range.start.line, col: e.range.start.character, endLine: e.range.end.line, endCol: e.range.end.character, text: e.newText })))).toBe(annotateFile(file, "jaxtyping").after);
  });
});

describe("annotations as inputs in check", () => {
  it("give a model its input where the file builds it (net = Net()) and calls it on nothing known", () => {
    const file = write(
      "built.py",
      [...header, "class Net(nn.Module):", "    def __init__(self, width=10):", "        super().__init__()", "        self.fc = nn.Linear(8, width)", "", '    def forward(self, x: Float[Tensor, "b 16"]):', "        return self.fc(x)", "", "net = Net(width=4)", ""].join("\n"),
    );
    const result = checkPaths([file], { torchVersion: goldenTorchVersion });
    expect(result.models.map((m) => [m.via, m.inputSource])).toEqual([["instantiation", "annotation"]]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["linear-in-features"]);
  });
});

describe("aliases from the project's other files", () => {
  it("are read where they are imported (from shapes import ImageBatch, from .shapes import ...)", () => {
    const project = mkdtempSync(join(tmpdir(), "torchshape-alias-project-"));
    writeFileSync(join(project, "shapes.py"), ["from typing import Annotated, TypeAlias", "import torch", "from torchshapeflow import Shape", "", 'ImageBatch: TypeAlias = Annotated[torch.Tensor, Shape("B", 3, 32, 32)]', 'Logits = Annotated[torch.Tensor, Shape("B", 10)]', ""].join("\n"));
    const file = join(project, "model.py");
    writeFileSync(file, ["import torch.nn as nn", "from shapes import ImageBatch, Logits", "", "class Net(nn.Module):", "    def __init__(self):", "        super().__init__()", "        self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)", "        self.fc = nn.Linear(8 * 16 * 16, 12)", "", "    def forward(self, x: ImageBatch) -> Logits:", "        return self.fc(self.conv(x).flatten(1))", ""].join("\n"));
    const result = analyzeFile(file, { torchVersion: goldenTorchVersion });
    expect(result.models[0].inputSource).toBe("annotation");
    expect(result.models[0].inputs[0].shape.map(String)).toEqual(["B", "3", "32", "32"]);
    expect(result.diagnostics.map((d) => d.message)).toEqual(["Net.forward returns [B, 12] but is annotated [B, 10] (dimension 1: 12 is not 10)"]);
  });
});
