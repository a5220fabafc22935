// `check` analyses every model a repository builds: calls its scripts make (at the
// top level or under the main guard, in the same file or importing the class from
// another), factory functions callable without arguments, and classes with
// defaults that nothing else built; each model once. The fixtures run in real
// PyTorch as they are (fixtures/entrypoints/).
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkPaths } from "../../src/check/check.js";
import { factoryDefs, instantiationSites } from "../../src/check/entryPoints.js";
import { parsePython } from "../../src/parse/parser.js";
import { expectationKey, expectationsIn } from "./expectations.js";

const root = join(import.meta.dirname, "..", "..");
const repo = join(root, "fixtures", "entrypoints", "repo");
const buggy = join(root, "fixtures", "entrypoints", "buggy");

describe("entry points read from the syntax", () => {
  it("factories: public module-level functions that need no argument and return something", () => {
    const syntax = parsePython(
      [
        "def a(*, weights=None, progress=True, **kwargs) -> Net:\n    return Net(**kwargs)",
        "def b(width, depth=2):\n    return Net(width)",
        "def c(*, width):\n    return Net(width)",
        "def _d():\n    return Net()",
        "def main():\n    train()",
        "def e(n=3):\n    if n:\n        return [n]",
        "class F:\n    def g(self=None):\n        return 1",
      ].join("\n"),
    );
    expect(factoryDefs(syntax).map((d) => d.name)).toEqual(["a", "e"]);
  });

  it("instantiations: calls bound at module level, in if/try/with blocks, under the main guard (either operand order) and in main() it calls", () => {
    const syntax = parsePython(
      [
        "net = Net(3).to('cpu').eval()",
        "if big:\n    model = models.Big(width=2)",
        "for i in range(3):\n    looped = Net(i)",
        "def f():\n    inner = Net(1)",
        "x.attr = Net(2)",
        "if '__main__' == __name__:\n    args = parse()\n    with ctx():\n        guarded: nn.Module = Net(args.n)\n    sys.exit(main())\n    needs(1)",
        "def main(width=3):\n    net = Net(width)",
        "def needs(width):\n    net = Net(width)",
      ].join("\n"),
    );
    const sites = instantiationSites(syntax).map((s) => ({ targets: s.targets, line: s.call.span.line + 1, guarded: s.block?.index, direct: s.direct }));
    expect(sites).toEqual([
      { targets: ["net"], line: 1, guarded: undefined, direct: true },
      { targets: ["model"], line: 3, guarded: undefined, direct: false },
      { targets: ["args"], line: 10, guarded: 0, direct: true },
      { targets: ["guarded"], line: 12, guarded: 1, direct: false },
      { targets: ["net"], line: 16, guarded: 0, direct: true },
    ]);
  });
});

describe("check on a small repository", () => {
  const result = checkPaths([repo]);

  it("analyses what its scripts and factories build, each model once, and no class again with its defaults", () => {
    const models = result.models.map((m) => ({ name: m.name, file: basename(m.file), via: m.via, input: m.inputSource }));
    expect(models).toEqual([
      // train.py builds the same Net(num_classes=10): not analysed twice; Net() with its 1000 classes is never built
      { name: "Net(num_classes=10)", file: "evaluate.py", via: "instantiation", input: "call" },
      { name: "tiny()", file: "factories.py", via: "factory", input: "call" },
      // the same model as the class Plain with its defaults: Plain is not analysed again
      { name: "plain()", file: "factories.py", via: "factory", input: "call" },
      // built in main(), which the main guard calls, with main()'s default; the input is the tensor it is called on
      { name: "Net(num_classes=classes)", file: "finetune.py", via: "instantiation", input: "call" },
      // built under the main guard from the argument parser's default width
      { name: "Wide(args.width)", file: "script.py", via: "instantiation", input: "call" },
    ]);
    expect(result.modelsChecked).toBe(5);
  });

  it("says which factories could not build their model: from_config() reads a file, which torchshape does not", () => {
    expect(result.notBuilt.map((m) => ({ name: m.name, file: basename(m.file), line: m.line, via: m.via, reason: m.reason }))).toEqual([
      { name: "from_config()", file: "factories.py", line: 37, via: "factory", reason: "the keyword arguments in **settings are not known: 'json.load' is not modelled" },
    ]);
  });

  it("counts the classes found, analysed (as a model or a part of one) and not analysed, with why", () => {
    expect(result.classes.found).toBe(7);
    expect(result.classes.analysed).toBe(5);
    expect(result.classes.notAnalysed.map((c) => ({ name: c.name, file: basename(c.file), line: c.line, reason: c.reason }))).toEqual([
      { name: "Orphan", file: "model.py", line: 26, reason: { kind: "needs constructor arguments" } },
      { name: "Unfinished", file: "model.py", line: 35, reason: { kind: "could not build", detail: "NotImplementedError: pick a backbone first" } },
    ]);
  });

  it("reports no error; the class that cannot be built is a warning", () => {
    expect(result.diagnostics.map((d) => `${d.severity}[${d.code}] ${basename(d.location.file)}:${d.location.span.line + 1}`)).toEqual(["warning[build-error] model.py:38"]);
    expect(result.skipped).toEqual([]);
  });

  it("says it in the summary line, the notes and the JSON", () => {
    const text = spawnSync(process.execPath, [join(root, "bin", "torchshape.cjs"), "check", "."], { cwd: repo, encoding: "utf8" });
    expect(text.status).toBe(0);
    const lines = text.stdout.trim().split("\n");
    expect(lines.at(-1)).toBe("No shape errors, 1 warning in 6 files (5 models checked, 1 could not be built; 7 model classes: 5 analysed, 2 not analysed: 1 needs constructor arguments, 1 could not build)");
    expect(lines).toContain("model.py:26:1: note: not analysed: Orphan needs constructor arguments and nothing checked builds it (`# torchshape: model=Orphan(...)` gives them)");
    expect(lines).toContain("factories.py:37:1: note: not analysed: from_config() could not be built (the keyword arguments in **settings are not known: 'json.load' is not modelled)");
    const json = spawnSync(process.execPath, [join(root, "bin", "torchshape.cjs"), "check", "-f", "json", "."], { cwd: repo, encoding: "utf8" });
    const out = JSON.parse(json.stdout) as { models_checked: number; models: { name: string; via: string }[]; models_not_built: { name: string; via: string }[]; model_classes: { found: number; analysed: number; not_analysed: { name: string; reason: string }[] } };
    expect(out.models_not_built).toMatchObject([{ name: "from_config()", file: "factories.py", line: 37, via: "factory" }]);
    expect(out.models_checked).toBe(5);
    expect(out.models.map((m) => `${m.via}:${m.name}`)).toEqual(["instantiation:Net(num_classes=10)", "factory:tiny()", "factory:plain()", "instantiation:Net(num_classes=classes)", "instantiation:Wide(args.width)"]);
    expect(out.model_classes).toMatchObject({ found: 7, analysed: 5, not_analysed: [{ name: "Orphan", reason: "needs constructor arguments" }, { name: "Unfinished", reason: "could not build" }] });
  });
});

describe("calls named in [tool.torchshape.inputs]", () => {
  const configured = join(root, "fixtures", "entrypoints", "configured");
  it("build the class nothing else builds, each with its input: the one that does not fit is PyTorch's error", () => {
    expect(readFileSync(join(configured, "model.torch-error.txt"), "utf8")).toMatch(/^RuntimeError: mat1 and mat2 shapes cannot be multiplied \(2x2704 and 3600x10\)/);
    const json = spawnSync(process.execPath, [join(root, "bin", "torchshape.cjs"), "check", "-f", "json", "."], { cwd: configured, encoding: "utf8" });
    expect(json.status).toBe(1);
    const out = JSON.parse(json.stdout) as { models: { name: string; via: string; input_source: string }[]; diagnostics: { code: string; line: number }[]; model_classes: { found: number; analysed: number } };
    expect(out.models.map((m) => `${m.via}:${m.name}:${m.input_source}`)).toEqual(["config:Net(width=8):config", "config:Net(width=4):config"]);
    expect(out.diagnostics.map((d) => `${d.code}@${d.line}`)).toEqual(["linear-in-features@12"]);
    expect(out.model_classes).toMatchObject({ found: 1, analysed: 1 });
  });
});

describe("a shape error only a script's instantiation reaches", () => {
  it("is found through train.py, with the arguments and the input it gives", () => {
    const expected = readdirSync(buggy)
      .filter((f) => f.endsWith(".py"))
      .flatMap((f) => expectationsIn(readFileSync(join(buggy, f), "utf8")).map((e) => `${f}:${expectationKey(e)}`));
    expect(expected).toEqual(["model.py:error[linear-in-features]@11"]);
    expect(readFileSync(join(buggy, "train.torch-error.txt"), "utf8")).toMatch(/^RuntimeError: mat1 and mat2 shapes cannot be multiplied/);
    const result = checkPaths([buggy]);
    expect(result.diagnostics.map((d) => `${basename(d.location.file)}:${d.severity}[${d.code}]@${d.location.span.line + 1}`)).toEqual(expected);
    expect(result.models.map((m) => `${basename(m.file)}:${m.name}`)).toEqual(["train.py:Net(num_classes=10)"]);
  });

  it("is out of reach without the script: the class is counted as not analysed, not as clean", () => {
    const alone = mkdtempSync(join(tmpdir(), "torchshape-entry-"));
    copyFileSync(join(buggy, "model.py"), join(alone, "model.py"));
    expect(existsSync(join(alone, "train.py"))).toBe(false);
    const result = checkPaths([alone]);
    expect(result.diagnostics).toEqual([]);
    expect(result.modelsChecked).toBe(0);
    expect(result.classes).toMatchObject({ found: 1, analysed: 0, notAnalysed: [{ name: "Net", reason: { kind: "needs constructor arguments" } }] });
  });
});

describe("calls the code may pass by", () => {
  it("are not reported when they did not run: a branch not taken builds nothing and warns of nothing", () => {
    const result = checkPaths([join(root, "fixtures", "entrypoints", "branch.py")]);
    expect(result.diagnostics).toEqual([]);
    expect(result.models.map((m) => `${m.name} ${m.inputSource}`)).toEqual(["Head(4) call"]);
  });
});

describe("a base class", () => {
  it("is analysed through a subclass that is: its code runs there", () => {
    const result = checkPaths([join(root, "fixtures", "entrypoints", "base_class.py")]);
    expect(result.models.map((m) => `${m.via}:${m.name}`)).toEqual(["class:Child"]);
    expect(result.classes).toEqual({ found: 2, analysed: 2, notAnalysed: [] });
  });
});

describe("time budgets", () => {
  it("give each model of a file its own: a model that never finishes does not starve the next", () => {
    const result = checkPaths([join(root, "fixtures", "entrypoints", "spin_then_head.py")], { timeLimitMs: 1000 });
    expect(result.diagnostics.map((d) => `${d.severity}[${d.code}] ${d.model}`)).toEqual(["warning[analysis-limit] spin()"]);
    expect(result.models.map((m) => `${m.name}${m.incomplete ? " (stopped)" : ""}`)).toEqual(["spin() (stopped)", "head()"]);
    expect(result.classes).toMatchObject({ found: 2, analysed: 2 });
  });
});
