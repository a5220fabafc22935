// tree-sitter loaded lean (src/parse/leanTreeSitter.ts): every node's type and start,
// read without calling into the binding, are the binding's own, and a file converts to
// the same syntax tree as with the binding as it comes.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type Parser from "tree-sitter";
import { describe, expect, it } from "vitest";
import { bindingGetters, loadTreeSitter } from "../../src/parse/leanTreeSitter.js";
import { parseTree } from "../../src/parse/parser.js";

const root = join(import.meta.dirname, "..", "..");

function pythonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pythonFiles(path);
    return name.endsWith(".py") ? [path] : [];
  });
}

const fixtures = pythonFiles(join(root, "fixtures"));
/** Characters outside ASCII and outside the BMP before nodes on a line, an error node, a missing one. */
const awkward = 'x = "héllo 😀 wörld"; y = f(x, 😀)\nclass N(nn.Module):\n    def f(self, a=(1,\n        b = "🙂" + a\n    def g(self) return 1\n';

function everyNode(node: Parser.SyntaxNode, visit: (n: Parser.SyntaxNode) => void): void {
  visit(node);
  for (const child of node.children) everyNode(child, visit);
}

describe("tree-sitter loaded lean", () => {
  it("gives every node the type and start the binding's own getters give, named or not, in error nodes too", () => {
    loadTreeSitter();
    const native = { type: bindingGetters.type?.get, startIndex: bindingGetters.startIndex?.get, startPosition: bindingGetters.startPosition?.get };
    expect(native.type && native.startIndex && native.startPosition).toBeTruthy();
    let nodes = 0;
    let errors = 0;
    for (const text of [awkward, ...fixtures.map((f) => readFileSync(f, "utf8"))]) {
      everyNode(parseTree(text).rootNode, (n) => {
        nodes++;
        if (n.type === "ERROR" || n.isMissing) errors++;
        expect(n.type).toBe(native.type!.call(n));
        expect(n.startIndex).toBe(native.startIndex!.call(n));
        expect(n.startPosition).toEqual(native.startPosition!.call(n));
      });
    }
    expect(nodes).toBeGreaterThan(50_000);
    expect(errors).toBeGreaterThan(0);
  });

  it("converts every fixture to the same syntax tree as the binding as it comes", () => {
    // tsc's output (npm test builds it first): the binding as it comes needs a process of its own
    const script = `
      const { readFileSync } = await import("node:fs");
      const { parsePython } = await import(${JSON.stringify(join(root, "dist", "parse", "parser.js"))});
      const files = JSON.parse(process.argv[1]);
      const out = files.map((f) => { try { return JSON.stringify(parsePython(readFileSync(f, "utf8"), { compileRules: true, deferFunctionBodies: false })); } catch (e) { return "error: " + e.message; } });
      process.stdout.write(JSON.stringify(out));`;
    const files = [...fixtures, join(root, "fixtures", "models", "article_net.py")];
    const convert = (env: Record<string, string>) => {
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(files)], { cwd: root, encoding: "utf8", maxBuffer: 512 * 1024 * 1024, env: { ...process.env, ...env } });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as string[];
    };
    const lean = convert({});
    const plain = convert({ TORCHSHAPE_PLAIN_TREE_SITTER: "1" });
    expect(lean).toHaveLength(files.length);
    expect(lean.filter((t) => !t.startsWith("error: ")).length).toBeGreaterThan(100);
    lean.forEach((tree, i) => expect(tree, files[i]).toBe(plain[i]));
  });
});
