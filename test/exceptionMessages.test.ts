// str(e), f"{e}" and repr(e) of a caught exception give what Python prints, whether the
// analysed code raised it or the evaluator did on Python's behalf (int('x'), {}['k']):
// each snippet of fixtures/exceptions/messages.json against Python 3.11's value
// (fixtures/exceptions/expected.json, by scripts/record_exception_messages.py).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { startSession } from "../src/analysis/session.js";
import { pyRepr } from "../src/eval/operators.js";

const { snippets } = JSON.parse(readFileSync("fixtures/exceptions/messages.json", "utf8")) as { snippets: string[] };
const expected = (JSON.parse(readFileSync("fixtures/exceptions/expected.json", "utf8")) as { values: Record<string, string> }).values;

it("every recorded snippet has Python's value", () => {
  expect(Object.keys(expected).sort()).toEqual([...snippets].sort());
});

it("str, f-strings and repr of caught exceptions give Python's text, not <TypeError object>", () => {
  const prelude = readFileSync("fixtures/exceptions/prelude.py", "utf8");
  const source = [prelude, ...snippets.map((s, i) => `r${i} = ${s}`)].join("\n") + "\n";
  const session = startSession("/tmp/torchshape-exception-messages.py", { source });
  const wrong: string[] = [];
  snippets.forEach((s, i) => {
    const v = session.main.scope.vars.get(`r${i}`);
    const got = v?.kind === "str" ? v.value : `<${v ? pyRepr(v) : "not bound"}>`;
    if (got !== expected[s]) wrong.push(`${s}: Python ${JSON.stringify(expected[s])}, evaluator ${JSON.stringify(got)}`);
  });
  expect(wrong).toEqual([]);
});
