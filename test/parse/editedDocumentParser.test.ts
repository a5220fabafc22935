// A document reparsed from its previous tree after an edit gives the tree a fresh
// parse gives, node for node and position for position (index, row and column of
// every node's start and end): random edits (insertions, deletions across lines,
// non-ASCII text, edits at either end) of every fixture model.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SyntaxNode, Tree } from "tree-sitter";
import type { PyModule } from "../../src/parse/ast.js";
import { EditedDocumentParser } from "../../src/parse/editedDocumentParser.js";
import { parseTree } from "../../src/parse/parser.js";
import { convertModule } from "../../src/parse/toAst.js";

const models = join(import.meta.dirname, "..", "..", "fixtures", "models");
const plain = (m: PyModule) => JSON.stringify(m, (_, v: unknown) => (v instanceof Map ? [...v] : v));
/** the converted tree as plain data, or the syntax error converting it raised */
const converted = (root: Parameters<typeof convertModule>[0]) => {
  try {
    return plain(convertModule(root));
  } catch (e) {
    return `error: ${e instanceof Error ? e.message : String(e)}`;
  }
};
/** Every node of a tree with its type and where it starts and ends, in document order. */
function placedNodes(tree: Tree): string[] {
  const out: string[] = [];
  const visit = (n: SyntaxNode) => {
    out.push(`${n.type} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column}`);
    for (const c of n.children) visit(c);
  };
  visit(tree.rootNode);
  return out;
}
const pieces = ["x", "\n", "    ", "(", ")", "größe = 1\n", "# → ü\n", "def f(a):\n    return a\n", "😀", ",", "class K:\n  pass\n", ""];

describe("reparsing an edited document from its previous tree", () => {
  it("gives a fresh parse's tree after every random edit of every fixture", () => {
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const files = readdirSync(models).filter((f) => f.endsWith(".py"));
    expect(files.length).toBeGreaterThan(10);
    let edits = 0;
    for (const f of files) {
      const parser = new EditedDocumentParser();
      let text = readFileSync(join(models, f), "utf8");
      parser.parse(text);
      for (let i = 0; i < 12; i++) {
        const at = i === 0 ? 0 : i === 1 ? text.length : random(text.length + 1);
        const removed = random(4) === 0 ? random(40) : 0;
        text = text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at + removed);
        const reparsed = parser.parse(text);
        const fresh = parseTree(text);
        expect(reparsed.rootNode.toString(), `${f}, edit ${i}`).toBe(fresh.rootNode.toString());
        expect(placedNodes(reparsed), `${f}, edit ${i}`).toEqual(placedNodes(fresh));
        expect(converted(reparsed.rootNode), `${f}, edit ${i}`).toBe(converted(fresh.rootNode));
        edits++;
      }
    }
    expect(edits).toBeGreaterThan(100);
  });
});
