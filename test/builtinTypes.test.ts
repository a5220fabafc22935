// Python's built-in types and functions, complete: every method Python 3.11's documentation
// lists (fixtures/builtins/cases.json) exists in the evaluator and gives what real Python
// gave for each snippet (fixtures/builtins/expected.json, by scripts/record_builtin_values.py).
// A method missing from the evaluator fails here, so a gap cannot come back silently.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startSession } from "../src/analysis/session.js";
import { pyRepr } from "../src/eval/operators.js";
import type { Value } from "../src/eval/values.js";

interface TypeCases {
  sample: string;
  unknown: string[];
  methods: Record<string, string[]>;
}
const cases = JSON.parse(readFileSync("fixtures/builtins/cases.json", "utf8")) as {
  types: Record<string, TypeCases>;
  functions: { notExecuted: string[]; cases: Record<string, string[]> };
  modules: Record<string, { names: string[]; cases: string[] } | string>;
};
const expected = (JSON.parse(readFileSync("fixtures/builtins/expected.json", "utf8")) as { values: Record<string, string[]> }).values;

/** Runs the snippets in one module of the evaluator; each gives its value, or ("!", name) for a Python exception. */
function evaluate(snippets: string[], imports = ""): Value[] {
  const lines = [imports, "def __run(f):", "    try:", "        return f()", "    except Exception as e:", "        return ('!', type(e).__name__)"];
  snippets.forEach((s, i) => lines.push(`r${i} = __run(lambda: ${s})`));
  const session = startSession("/tmp/torchshape-builtins-test.py", { source: lines.join("\n") + "\n" });
  return snippets.map((_, i) => session.main.scope.vars.get(`r${i}`)!);
}

function shown(v: Value | undefined): string {
  if (!v) return "<not bound>";
  if (v.kind === "tuple" && v.items.length === 2 && v.items[0].kind === "str" && v.items[0].value === "!" && v.items[1].kind === "str") return `!${v.items[1].value}`;
  return pyRepr(v);
}

describe("built-in types: every documented method exists and behaves as in Python 3.11", () => {
  for (const [typeName, spec] of Object.entries(cases.types)) {
    it(typeName, () => {
      const names = Object.keys(spec.methods);
      const present = evaluate(names.map((m) => `hasattr(${spec.sample}, '${m}')`));
      expect(names.filter((_, i) => present[i].kind !== "bool" || !(present[i] as { value: boolean }).value), `${typeName} methods missing`).toEqual([]);
      const snippets = names.flatMap((m) => spec.methods[m].map((s) => ({ key: `${typeName}.${m}`, s, unknown: spec.unknown.includes(m) })));
      const values = evaluate(snippets.map((c) => c.s));
      const wrong: string[] = [];
      snippets.forEach((c, i) => {
        const want = expected[c.key]?.[spec.methods[c.key.slice(typeName.length + 1)].indexOf(c.s)];
        if (c.unknown) {
          if (values[i].kind !== "unknown") wrong.push(`${c.s}: want an unknown value (Python: ${want}), got ${shown(values[i])}`);
        } else if (shown(values[i]) !== want) wrong.push(`${c.s}: Python ${want}, evaluator ${shown(values[i])}`);
      });
      expect(wrong).toEqual([]);
    });
  }
});

describe("builtins module: every function of the documentation's table", () => {
  it("binds every name, and never runs the ones that would touch the world", () => {
    const names = [...Object.keys(cases.functions.cases), ...cases.functions.notExecuted];
    const bound = evaluate(names.map((n) => `callable(${n})`));
    expect(names.filter((_, i) => shown(bound[i]) !== "True")).toEqual([]);
  });

  it("gives Python's values", () => {
    const snippets = Object.entries(cases.functions.cases).flatMap(([name, ss]) => ss.map((s, j) => ({ s, want: expected[name][j] })));
    const values = evaluate(snippets.map((c) => c.s));
    expect(snippets.flatMap((c, i) => (shown(values[i]) === c.want ? [] : [`${c.s}: Python ${c.want}, evaluator ${shown(values[i])}`]))).toEqual([]);
  });
});

describe("standard-library modules model code uses", () => {
  for (const [module, spec] of Object.entries(cases.modules)) {
    if (typeof spec === "string") continue;
    it(module, () => {
      const present = evaluate(spec.names.map((n) => `hasattr(${module}, '${n}')`), `import ${module}`);
      expect(spec.names.filter((_, i) => shown(present[i]) !== "True"), `${module} names missing`).toEqual([]);
      const values = evaluate(spec.cases, `import ${module}`);
      const want = expected[`module ${module}`];
      expect(spec.cases.flatMap((s, i) => (shown(values[i]) === want[i] ? [] : [`${s}: Python ${want[i]}, evaluator ${shown(values[i])}`]))).toEqual([]);
    });
  }
});
