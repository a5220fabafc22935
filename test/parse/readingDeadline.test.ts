// Reading a file counts in its time budget after tree-sitter too: the compiler's rules and
// the conversion to the syntax tree read the clock as they go (a 1 MB list of names took
// seconds to convert after a parse that ended within the budget), and the analysis says so
// in its one line, as it does for a parse stopped at the deadline.
import { expect, it } from "vitest";
import { parseTree } from "../../src/parse/parser.js";
import { convertModule } from "../../src/parse/toAst.js";
import { firstCompileRuleViolation } from "../../src/parse/compileRules.js";
import { ReadingDeadlinePassed } from "../../src/parse/readingDeadline.js";

const names = `names = [${Array.from({ length: 5000 }, (_, i) => `"n${i}"`).join(", ")}]\n`;
const statements = Array.from({ length: 2000 }, (_, i) => `x${i} = f(a=${i})\n`).join("");

it("converting stops past its deadline, and converts in full before it or without one", () => {
  const tree = parseTree(names);
  expect(() => convertModule(tree.rootNode, { deadline: Date.now() - 1 })).toThrow(ReadingDeadlinePassed);
  const body = convertModule(tree.rootNode, { deadline: Date.now() + 60_000 }).body;
  expect(body[0]).toMatchObject({ kind: "assign", value: { kind: "list" } });
  expect((body[0] as { value: { elts: unknown[] } }).value.elts).toHaveLength(5000);
  expect(convertModule(tree.rootNode).body).toHaveLength(1);
});

it("the compiler's rules stop past their deadline, and judge in full before it", () => {
  const tree = parseTree(statements);
  expect(() => firstCompileRuleViolation(tree.rootNode, statements, Date.now() - 1)).toThrow(ReadingDeadlinePassed);
  expect(firstCompileRuleViolation(tree.rootNode, statements, Date.now() + 60_000)).toBeUndefined();
  const repeated = statements + "f(a=1, a=2)\n";
  expect(firstCompileRuleViolation(parseTree(repeated).rootNode, repeated)).toEqual({ line: 2000, col: 7, message: "keyword argument repeated: a" });
});
