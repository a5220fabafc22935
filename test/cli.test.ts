// The command line end to end: a fresh process, as users and hooks run it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "torchshape.cjs");
const article = join(root, "fixtures", "models", "article_net.py");

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "torchshape-"));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe("summary of the seed article", () => {
  it("reproduces the article's table", () => {
    const r = run(article, "--format", "json");
    expect(r.code).toBe(0);
    const model = JSON.parse(r.stdout).models[0];
    expect(model.layers.map((l: { name: string; params: number }) => [l.name, l.params])).toEqual([
      ["conv1", 448], ["act1", 0], ["pool1", 0], ["conv2", 1160], ["act2", 0], ["pool2", 0], ["fc1", 16416], ["act3", 0], ["fc2", 66],
    ]);
    expect(model.layers.map((l: { output_shape: unknown }) => l.output_shape)).toEqual([
      [1, 16, 32, 32], [1, 16, 32, 32], [1, 16, 16, 16], [1, 8, 16, 16], [1, 8, 16, 16], [1, 8, 8, 8], [1, 32], [1, 32], [1, 2],
    ]);
    expect(model.layers[6].input_shape).toEqual([1, 512]);
    expect(model.total_params).toBe(18090);
    expect(model.layers[0]).toMatchObject({ file: "fixtures/models/article_net.py", line: 8, call_line: 19, depth: 1 });
  });

  it("prints the table by default with totals", () => {
    const r = run(article);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/conv1 \(Conv2d\)\s+\[1, 3, 32, 32\]\s+\[1, 16, 32, 32\]\s+448/);
    expect(r.stdout).toContain("Total params: 18,090");
  });

  it("prints the article's markdown table", () => {
    const r = run(article, "--format", "markdown");
    expect(r.stdout).toContain("| fc1 | Linear | 16,416 | [1, 512] → [1, 32] |");
  });

  it("keeps dimensions symbolic without an input", () => {
    const source = readFileSync(article, "utf8").replace("# torchshape: input=1,3,32,32\n", "");
    const r = run(tempFile("net.py", source), "--format", "json");
    const layers = JSON.parse(r.stdout).models[0].layers;
    expect(layers[0].input_shape).toEqual(["N", 3, "H", "W"]);
    expect(layers[2].output_shape).toEqual(["N", 16, "H // 2", "W // 2"]);
  });

  it("takes a list of tensors as one argument, and reports it as the list of its shapes", () => {
    const file = join(root, "fixtures", "models", "image_list_batch.py");
    const r = run(file, "--model", "TinyDetector", "--input", "[3,40,40],[3,64,32]", "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    const model = JSON.parse(r.stdout).models[0];
    expect(model.inputs).toEqual([[[3, 40, 40], [3, 64, 32]]]);
    // each image scaled to min side 64 (max side 96 caps the second), the batch padded to 32s
    expect(model.layers[0].output_shape[0]).toEqual([2, 3, 96, 64]);
    const table = run(file, "--model", "TinyDetector", "--input", "[[3,40,40]]");
    expect(table.stdout).toMatch(/input \[\[3, 40, 40\]\]/);
  });

  it("takes --input over the file's comment, with symbolic names", () => {
    const r = run(article, "--input", "B,3,32,32", "--format", "json");
    expect(JSON.parse(r.stdout).models[0].layers[0].output_shape).toEqual(["B", 16, 32, 32]);
  });
});

describe("bad input: one line on stderr, exit 2", () => {
  const cases: [string, () => string[], RegExp][] = [
    ["a syntax error", () => [tempFile("bad.py", "class Net(nn.Module:\n    pass\n")], /syntax error/],
    ["a file without nn.Module", () => [tempFile("plain.py", "x = 1\n")], /no nn\.Module class/],
    ["an unknown --model", () => [article, "--model", "NoSuchNet()"], /NoSuchNet/],
    ["a malformed --input", () => [article, "--input", "1,3,x y"], /malformed input/],
    ["a list --input with unbalanced brackets", () => [article, "--input", "[3,32,32],[3,32"], /malformed input .*unbalanced brackets/],
    ["a list --input with an item that is not bracketed", () => [article, "--input", "[3,32,32],3,32"], /malformed input .*'3' is not a bracketed shape/],
    ["a missing file", () => [join(root, "no-such-file.py")], /cannot read/],
    ["a binary file", () => [tempFile("bin.py", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]))], /binary/],
    // a device has no size to check first: /dev/zero never ends, and its reading stops at the limit
    ["an endless device", () => ["/dev/zero"], /\/dev\/zero: file is too large \(more than 2000000 bytes\)/],
    ["a folder", () => [dirname(tempFile("in-a-folder.py", "x = 1\n"))], /: a folder, not a file$/m],
    ["Python 2", () => [tempFile("py2.py", 'print "hello"\n')], /syntax error/],
    ["an unknown --columns name", () => [article, "--columns", "output_size,banana"], /unknown column 'banana'/],
    ["--memory-budget banana", () => [article, "--memory-budget", "banana"], /--memory-budget must be a positive size/],
    ["a negative --memory-budget", () => [article, "--memory-budget=-24GB"], /--memory-budget must be a positive size/],
    ["an unknown --dtype", () => [article, "--memory-budget", "24GB", "--dtype", "int8"], /unknown --dtype 'int8'/],
    ["a negative --depth", () => [article, "--depth", "-1"], /--depth must be a non-negative integer, not '-1'/],
    // graph reads --input and --depth with the summary's own parsers: the same value is refused with the same line
    ["graph with a malformed --input", () => ["graph", article, "--input", "1,3,x y"], /malformed input/],
    ["graph with a list --input with unbalanced brackets", () => ["graph", article, "--input", "[3,32,32],[3,32"], /malformed input .*unbalanced brackets/],
    ["graph with a fractional --depth", () => ["graph", article, "--depth", "1.5"], /--depth must be a non-negative integer, not '1.5'/],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => {
      const r = run(...args());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    });
  }
});

describe("unmodelled layers", () => {
  it("give unknown shapes and a note naming them, and the rest still prints", () => {
    const file = tempFile(
      "unk.py",
      "import torch.nn as nn\n\n# torchshape: input=2,3,8,8\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 4, 3)\n        self.weird = nn.FancyNewLayer(4)\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(self.weird(self.conv(x)))\n",
    );
    const r = run(file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/conv \(Conv2d\)\s+\[2, 3, 8, 8\]\s+\[2, 4, 6, 6\]\s+112/);
    expect(r.stdout).toMatch(/weird \(FancyNewLayer\)\s+\[2, 4, 6, 6\]\s+\?/);
    expect(r.stdout).toContain("FancyNewLayer is not modelled");
    expect(r.stdout).toContain("Total params: ?");
  });
});

describe("torchshape comments", () => {
  const linear = (name: string) =>
    `class ${name}(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(10, 5)\n\n    def forward(self, x):\n        return self.fc(x)\n`;

  it("report a comment with a typo on its line, and analyse the rest of the file", () => {
    const file = tempFile("typo.py", `import torch.nn as nn\n\n# torchshape: input=4,3,32,32:int31\n${linear("Typo")}\n\n# torchshape: input=2,7\n${linear("Narrow")}`);
    const r = run(file, "--format", "json");
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.models.map((m: { name: string }) => m.name)).toEqual(["Typo", "Narrow"]);
    expect(out.models[0].inputs).toEqual([["N", 10]]);
    const byCode = Object.fromEntries(out.diagnostics.map((d: { code: string; line: number; severity: string }) => [d.code, d]));
    expect(byCode["input-comment"]).toMatchObject({ line: 3, severity: "warning" });
    expect(byCode["input-comment"].message).toContain("unknown dtype 'int31'");
    expect(byCode["linear-in-features"]).toBeDefined();
    const check = run("check", file);
    expect(check.stdout).toMatch(/typo\.py:3:1: warning\[input-comment\]/);
    expect(check.stdout).toMatch(/1 error, 1 warning/);
  });

  it("apply a comment above the imports to every model without an input of its own", () => {
    const file = tempFile("top.py", `# torchshape: input=2,7\nimport torch.nn as nn\n\n\n${linear("FromTop")}\n\n# torchshape: input=3,10\n${linear("Own")}`);
    const r = run(file, "--format", "json");
    const models = JSON.parse(r.stdout).models;
    expect(models.map((m: { name: string; inputs: unknown }) => [m.name, m.inputs])).toEqual([["FromTop", [[2, 7]]], ["Own", [[3, 10]]]]);
    expect(r.code).toBe(1);
    expect(run("check", file).stdout).toMatch(/top\.py:\d+:\d+: error\[linear-in-features\][^\n]*has 7/);
  });
});

describe("huge sequences", () => {
  it("are unknown values with a note, not a whole budget of time and memory", () => {
    const model = "\n\n# torchshape: input=2,4\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n";
    const file = tempFile("big.py", `import torch.nn as nn\n\nbig = [0] * (10 ** 9)\ntext = "ab" * 10 ** 9\npair = (1, 2) * 10 ** 8\nsmall = [0] * 1000\nn = len(small)${model}`);
    const started = Date.now();
    const r = run(file);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/fc \(Linear\)\s+\[2, 4\]\s+\[2, 2\]\s+10/);
    expect(r.stdout).toContain("big.py:3: note: a list of 1,000,000,000 items is past the analysis limit of 1,000,000; its value is unknown");
    expect(r.stdout).toContain("big.py:4: note: a str of 2,000,000,000 items is past the analysis limit");
    expect(r.stdout).toContain("big.py:5: note: a tuple of 200,000,000 items is past the analysis limit");
    expect(r.stdout).not.toMatch(/big\.py:[67]: note/);
  });
});

describe("imported files", () => {
  it("say when an imported module does not parse, and the model still builds", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-imports-"));
    writeFileSync(join(dir, "helpers.py"), "def broken(:\n    pass\n");
    writeFileSync(
      join(dir, "net.py"),
      "import torch.nn as nn\nfrom helpers import broken\n\n# torchshape: input=2,4\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n        self.h = broken\n\n    def forward(self, x):\n        return self.fc(x)\n",
    );
    const r = run(join(dir, "net.py"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fc \(Linear\)\s+\[2, 4\]\s+\[2, 2\]\s+10/);
    expect(r.stdout).toContain("module 'helpers'");
    expect(r.stdout).toContain("has a syntax error at line 1");
  });
});

describe("a script that builds its model from elsewhere", () => {
  it("summarises what its top level binds, on the tensor it calls it with (timm.create_model's shape, without flags)", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchshape-script-"));
    writeFileSync(join(dir, "zoo.py"), "import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self, classes=10):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 8, 3)\n        self.fc = nn.Linear(8, classes)\n\n    def forward(self, x):\n        return self.fc(self.conv(x).mean((2, 3)))\n\n\ndef create_model(name, **kwargs):\n    return {'net': Net}[name](**kwargs)\n");
    writeFileSync(join(dir, "use_zoo.py"), "import torch\nimport zoo\n\nmodel = zoo.create_model('net', classes=5)\nout = model(torch.randn(2, 3, 16, 16))\n");
    const r = run(join(dir, "use_zoo.py"), "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    const m = (JSON.parse(r.stdout) as { models: { name: string; line: number; inputs: unknown; output_shape: unknown; total_params: number }[] }).models;
    expect(m.map((x) => [x.name, x.line, x.inputs, x.output_shape, x.total_params])).toEqual([["model", 4, [[2, 3, 16, 16]], [2, 5], 224 + 45]]);
    const none = run(tempFile("empty.py", "import torch\nx = torch.randn(2, 3)\n"));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no nn.Module class found, and no model built at its top level");
  });
});
