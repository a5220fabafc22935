// An editor's document converted with its previous conversion's statements gives the
// tree a fresh conversion gives, field for field and position for position, through
// edits that change a line, add or remove lines above a statement, or add non-ASCII
// text; and an unchanged statement is indeed taken, not converted again.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PyModule } from "../../src/parse/ast.js";
import { parseTree } from "../../src/parse/parser.js";
import { StatementReuse } from "../../src/parse/statementReuse.js";
import { convertModule, type ConvertedStatement } from "../../src/parse/toAst.js";

const models = join(import.meta.dirname, "..", "..", "fixtures", "models");

/** A tree as plain data: getters read, maps as entries. */
const plain = (m: PyModule) => JSON.stringify(m, (_, v: unknown) => (v instanceof Map ? [...v] : v));

function editsOf(text: string): string[] {
  const lines = text.split("\n");
  const middle = Math.floor(lines.length / 2);
  return [
    lines.map((l, i) => (i === middle ? `${l}  # edited` : l)).join("\n"),
    ["import os", ...lines].join("\n"),
    lines.slice(1).join("\n"),
    text.replace(/(\d+)/, (d) => `${Number(d) + 7}`),
    lines.map((l, i) => (i === middle ? `${l}  # größe → ü` : l)).join("\n"),
    text.replace("(", "( "),
    text,
  ];
}

describe("statement reuse across an editor's edits", () => {
  const files = readdirSync(models).filter((f) => f.endsWith(".py"));

  it("converts every edit of every fixture as a fresh conversion does", () => {
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const reuse = new StatementReuse<ConvertedStatement>();
      for (const text of [readFileSync(join(models, f), "utf8"), ...editsOf(readFileSync(join(models, f), "utf8"))]) {
        const tree = parseTree(text);
        expect(plain(convertModule(tree.rootNode, { reuse })), f).toBe(plain(convertModule(tree.rootNode)));
      }
    }
  });

  it("takes an unchanged statement from the previous conversion, and converts a changed one afresh", () => {
    const text = "import torch.nn as nn\n\nclass A(nn.Module):\n    def forward(self, x):\n        return x\n\nclass B(nn.Module):\n    def forward(self, x):\n        return x + 1\n";
    const reuse = new StatementReuse<ConvertedStatement>();
    const first = convertModule(parseTree(text).rootNode, { reuse });
    const edited = convertModule(parseTree(text.replace("x + 1", "x + 2")).rootNode, { reuse });
    expect(edited.body[1]).toBe(first.body[1]);
    expect(edited.body[2]).not.toBe(first.body[2]);
    // a line added above moves every statement below: none of them is taken
    const moved = convertModule(parseTree(`# top\n${text}`).rootNode, { reuse });
    expect(moved.body[1]).not.toBe(first.body[1]);
    expect(moved.body[1]!.span.line).toBe(first.body[1]!.span.line + 1);
  });
});
