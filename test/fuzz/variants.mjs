// The fuzzer's inputs: mutations of every fixture (line prefixes, random cuts,
// token swaps, digit changes) and hostile files written from scratch (huge
// literals, deep nesting, long lines, NUL bytes, invalid UTF-8, CRLF, mixed
// indentation, a 5 MB file). Plain JavaScript so that both the fixed-seed test
// (vitest) and the long run (scripts/fuzz.mjs, plain node) share it. Every
// variant is { name, bytes } with bytes a Buffer, reproducible from its seed.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const fixturesRoot = join(import.meta.dirname, "..", "..", "fixtures");

/** A small seeded generator (mulberry32): the same seed gives the same variants. */
export function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, below: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

/** Every fixture's Python source (models and buggy), by path relative to fixtures/. */
export function fixtureSources() {
  const out = [];
  for (const dir of ["models", "buggy"]) {
    for (const f of readdirSync(join(fixturesRoot, dir)).sort()) {
      if (f.endsWith(".py")) out.push({ name: `${dir}/${f}`, text: readFileSync(join(fixturesRoot, dir, f), "utf8") });
    }
  }
  return out;
}

const tokenPattern = /[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|\*\*|\/\/|[-+*/%@<>=!]=?|[()[\]{}:,.]/g;

/** The text with its first `n` lines (every line prefix). */
export function linePrefix(text, n) {
  const lines = text.split("\n");
  return lines.slice(0, n).join("\n") + (n < lines.length ? "\n" : "");
}

/** A random stretch of the text removed, or the text cut at a random point. */
export function randomCut(text, rng) {
  const a = rng.below(text.length + 1);
  if (rng.next() < 0.3) return text.slice(0, a);
  const b = Math.min(text.length, a + 1 + rng.below(200));
  return text.slice(0, a) + text.slice(b);
}

/** Two random tokens (names, numbers, operators, brackets) swapped. */
export function tokenSwap(text, rng) {
  const tokens = [...text.matchAll(tokenPattern)];
  if (tokens.length < 2) return text;
  const [x, y] = [rng.pick(tokens), rng.pick(tokens)].sort((p, q) => p.index - q.index);
  if (x.index === y.index || x.index + x[0].length > y.index) return text;
  return text.slice(0, x.index) + y[0] + text.slice(x.index + x[0].length, y.index) + x[0] + text.slice(y.index + y[0].length);
}

/** A few digits changed: another digit, a zero, a minus sign, or many more digits. */
export function digitChange(text, rng) {
  const digits = [...text.matchAll(/\d/g)];
  if (digits.length === 0) return text;
  let out = text;
  for (let k = 1 + rng.below(3); k > 0; k--) {
    const d = rng.pick(digits);
    const choices = [String(rng.below(10)), "0", `-${d[0]}`, d[0].repeat(2 + rng.below(20)), `${d[0]}e9`];
    out = out.slice(0, d.index) + rng.pick(choices) + out.slice(d.index + 1);
  }
  return out;
}

const model = (body) => `import torch\nimport torch.nn as nn\n\n${body}\n\n# torchshape: input=2,8\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 4)\n\n    def forward(self, x):\n        return self.fc(x)\n`;

/**
 * Files written to hurt: each stresses one limit of the reader or the evaluator.
 * `extreme` adds larger ones that the long run reports on (a 1.2 MB line, 800
 * subclasses) and that do not yet fit a small budget on a loaded machine.
 */
export function hostileInputs(fixtures, { extreme = false } = {}) {
  const text = (name, s) => ({ name: `hostile/${name}`, bytes: Buffer.from(s, "utf8") });
  const sample = fixtures.find((f) => f.name === "models/resnet_basic.py") ?? fixtures[0];
  const deepIf = Array.from({ length: 90 }, (_, i) => `${"    ".repeat(i)}if True:`).join("\n") + `\n${"    ".repeat(90)}pass`;
  return [
    text("huge_int_literal", model(`big = 1${"0".repeat(5000)}`)),
    text("huge_power", model("huge = 10 ** 10 ** 9\nwidth = huge // huge")),
    text("power_tower", model("t = 2 ** 2 ** 2 ** 2 ** 2 ** 2")),
    text("huge_shift", model("s = 1 << 100000")),
    text("huge_list", model("big = [0] * (10 ** 9)")),
    text("huge_list_8", model("big = [0] * (10 ** 8)")),
    text("huge_string", model('s = "ab" * (10 ** 9)')),
    text("huge_range", model("r = list(range(10 ** 12))")),
    text("growing_list", model("xs = []\nwhile True:\n    xs.append(len(xs))")),
    text("doubling_string", model('s = "x"\nwhile True:\n    s = s + s')),
    text("doubling_list", model("xs = [0]\nfor _ in range(100):\n    xs = xs + xs")),
    text("many_small_lists", model("keep = []\nfor i in range(10 ** 6):\n    keep.append([0] * 1000)")),
    text("dict_growth", model("d = {}\ni = 0\nwhile True:\n    d[i] = str(i)\n    i += 1")),
    text("infinite_loop", model("i = 0\nwhile True:\n    i += 1")),
    text("long_for", model("total = 0\nfor i in range(10 ** 7):\n    total += i")),
    text("deep_recursion", model("def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\ndepth = f(990)")),
    text("endless_recursion", model("def g(n):\n    return g(n + 1)\ng(0)")),
    text("caught_recursion", model("def g(n):\n    return g(n + 1)\ntry:\n    g(0)\nexcept RecursionError:\n    pass")),
    text("recursive_forward", "import torch.nn as nn\n\n# torchshape: input=2,8\nclass Net(nn.Module):\n    def forward(self, x):\n        return self(x)\n"),
    text("slice_step_zero", model(["[1, 2, 3][::0]", "'ab'[::0]", "range(5)[::0]", "[1, 2][slice(None, None, 0)]", "range(0, 5, 0)"].map((e) => `try:\n    ${e}\nexcept ValueError:\n    pass`).join("\n"))),
    text("rule_pieces", model("big = torch.zeros(10 ** 9, 1)\npieces = big.split(1)\nrows = [row for row in big]\nparts = big.unbind(0)")),
    text("missing_arguments", model("try:\n    nn.Sequential(nn.Linear(2, 2))()\nexcept TypeError:\n    pass\ntry:\n    isinstance(1)\nexcept TypeError:\n    pass\nxs = [1, 2, 3]\ntry:\n    xs[8] = 1\nexcept IndexError:\n    pass\n','.join(str(x) for x in xs)")),
    text("polynomial_power", model("import numpy as np\np = np.poly1d((0.5, 0.5)) ** 4000000000")),
    text("negative_maxlen", model("from collections import deque\ntry:\n    d = deque(maxlen=-3)\nexcept ValueError:\n    pass")),
    text("compiler_refuses", model("def f(a=1, b):\n    return a").replace("import torch\n", "import torch\n  ")),
    text("deep_parens", model(`x = ${"(".repeat(5000)}1${")".repeat(5000)}`)),
    text("deep_lists", model(`x = ${"[".repeat(3000)}${"]".repeat(3000)}`)),
    text("deep_unary", model(`x = ${"-".repeat(20000)}1`)),
    text("deep_binary", model(`x = ${Array.from({ length: 20000 }, () => "1").join(" + ")}`)),
    text("deep_if", model(deepIf)),
    text("deep_calls", model(`x = ${"abs(".repeat(3000)}1${")".repeat(3000)}`)),
    text("long_line", model(`names = [${Array.from({ length: 20000 }, (_, i) => `"n${i}"`).join(", ")}]`)),
    ...(extreme ? [text("long_line_1mb", model(`names = [${Array.from({ length: 100000 }, (_, i) => `"n${i}"`).join(", ")}]`))] : []),
    text("long_comment", model(`# ${"x".repeat(1_000_000)}`)),
    text("long_string_literal", model(`s = "${"y".repeat(1_000_000)}"`)),
    { name: "hostile/nul_bytes", bytes: Buffer.concat([Buffer.from(model("a = 1")), Buffer.from([0, 0, 0]), Buffer.from("b = 2\n")]) },
    { name: "hostile/invalid_utf8", bytes: Buffer.concat([Buffer.from(model("a = 1")), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), Buffer.from("\nb = 2\n")]) },
    { name: "hostile/invalid_utf8_in_string", bytes: Buffer.concat([Buffer.from('s = "'), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from(`"\n${model("")}`)]) },
    text("crlf", sample.text.replace(/\n/g, "\r\n")),
    text("cr_only", sample.text.replace(/\n/g, "\r")),
    text("tabs_and_spaces", sample.text.replace(/^( {4})+/gm, (m) => (m.length % 8 === 0 ? "\t".repeat(m.length / 8) + "" : "\t" + " ".repeat(m.length - 4)))),
    text("tab_indent", sample.text.replace(/^( {4})+/gm, (m) => "\t".repeat(m.length / 4))),
    text("bom", `\ufeff${sample.text}`),
    text("five_megabytes", `import torch\n${"x = 1  # padding the file past any reasonable size\n".repeat(100_000)}`),
    text("many_classes", Array.from({ length: 500 }, (_, i) => `class M${i}(nn.Module):\n    def forward(self, x):\n        return x\n`).join("\n").replace(/^/, "import torch.nn as nn\n")),
    ...[150, ...(extreme ? [800] : [])].map((n) => text(`deep_inheritance_${n}`, `import torch.nn as nn\nclass C0(nn.Module):\n    pass\n${Array.from({ length: n }, (_, i) => `class C${i + 1}(C${i}):\n    pass\n`).join("")}`)),
    text("empty", ""),
    text("only_comment", "# torchshape: input=1,3,32,32\n"),
    text("bad_input_comment", model("").replace("input=2,8", "input=2,8:int31")),
    text("js_names", model("class __proto__:\n    constructor = 1\n    prototype = 2\nd = {'__proto__': 1, 'toString': 2}\nhasOwnProperty = d['toString']")),
  ];
}

/** `count` mutations of the fixtures, drawn with `seed`: cuts, token swaps and digit changes. */
export function* randomVariants(fixtures, seed, count) {
  const rng = random(seed);
  const kinds = [
    ["cut", randomCut],
    ["swap", tokenSwap],
    ["digits", digitChange],
  ];
  for (let i = 0; i < count; i++) {
    const f = rng.pick(fixtures);
    const [kind, mutate] = rng.pick(kinds);
    let text = mutate(f.text, rng);
    // now and then a second mutation on top of the first
    if (rng.next() < 0.25) text = rng.pick(kinds)[1](text, rng);
    yield { name: `${f.name}#${kind}${i}`, bytes: Buffer.from(text, "utf8") };
  }
}

/** Every line prefix of every fixture. */
export function* prefixVariants(fixtures) {
  for (const f of fixtures) {
    const n = f.text.split("\n").length;
    for (let k = 0; k <= n; k++) yield { name: `${f.name}#prefix${k}`, bytes: Buffer.from(linePrefix(f.text, k), "utf8") };
  }
}
