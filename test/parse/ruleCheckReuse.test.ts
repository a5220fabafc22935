// An editor's document checked against the compiler's rules with its previous text's
// clean statements taken as clean gets the verdict a full check gets, at every step of
// a sequence of edits that bring faults in (every refused snippet of
// fixtures/syntax/cases.json, at the start and at the end of a model) and take them out
// again; a statement is judged with what its rules read beyond its own text (a
// backslash ending the row above); and an unchanged statement is indeed not walked again.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { firstCompileRuleViolation } from "../../src/parse/compileRules.js";
import { parseText, parseTree, syntaxErrorOf } from "../../src/parse/parser.js";
import { StatementReuse } from "../../src/parse/statementReuse.js";

const cases = JSON.parse(readFileSync("fixtures/syntax/cases.json", "utf8")) as { refused: string[]; accepted: string[] };
const models = join(import.meta.dirname, "..", "..", "fixtures", "models");

const verdict = (text: string, checked?: StatementReuse<true>) => {
  const error = syntaxErrorOf(parseText(text), undefined, checked);
  return error && `${error.line}:${error.col} ${error.message}`;
};

describe("the compiler's rules on an edited document", () => {
  it("give a full check's verdict through edits that bring faults in and take them out", () => {
    let faults = 0;
    for (const f of ["article_net.py", "resnet_basic.py", "lstm_text.py"]) {
      const model = readFileSync(join(models, f), "utf8");
      const checked = new StatementReuse<true>();
      const texts = [model, ...[...cases.refused, ...cases.accepted].flatMap((s) => [`${model}\n${s}`, model, `${s}\n${model}`, model])];
      for (const text of texts) {
        const full = verdict(text);
        if (full) faults++;
        expect(verdict(text, checked), `${f}: ${JSON.stringify(text.slice(0, 80))}…${JSON.stringify(text.slice(-80))}`).toBe(full);
      }
    }
    expect(faults).toBeGreaterThan(100);
  });

  it("judge a statement again when the row above it stops ending in a backslash", () => {
    const checked = new StatementReuse<true>();
    const body = "if x:\n    a = 1\n        b = 2\n";
    // a comment's backslash continues nothing in Python; the rules leave such a row's indentation alone
    expect(verdict(`# note \\\n${body}`, checked)).toBeUndefined();
    expect(verdict(`# note  \n${body}`, checked)).toBe("3:8 unexpected indent");
  });

  it("take a statement clean in the previous text without walking it", () => {
    const text = "def f():\n    return 1\nbreak\n";
    expect(firstCompileRuleViolation(parseTree(text).rootNode, text)?.message).toBe("'break' outside loop");
    const checked = new StatementReuse<true>();
    // what a previous text with this very statement, clean, would have left
    checked.put(StatementReuse.key(2, 0, "", "break"), true);
    checked.finish();
    expect(firstCompileRuleViolation(parseTree(text).rootNode, text, undefined, checked)).toBeUndefined();
  });
});
