// Every method of torch's module classes as the evaluator knows them, called with too
// few arguments, None, or a tensor: Python's TypeError (or any other Python exception)
// at worst, never a JavaScript error escaping the analysis (nn.Sequential()() and
// self.cnn() with no input read an argument that was not there).
import { describe, expect, it } from "vitest";
import { startSession } from "../src/analysis/session.js";
import { PyException } from "../src/eval/errors.js";

const modules = [
  "nn.Sequential(nn.Linear(2, 2))",
  "nn.ModuleList([nn.Linear(2, 2)])",
  "nn.ModuleDict({'a': nn.Linear(2, 2)})",
  "nn.ParameterList([nn.Parameter(torch.zeros(2))])",
  "nn.ParameterDict({'a': nn.Parameter(torch.zeros(2))})",
  "nn.Linear(2, 2)",
  "nn.LSTM(2, 3)",
  "nn.quantized.FloatFunctional()",
];
const argumentLists = ["", "None", "None, None", "None, None, None", "torch.zeros(2, 2)", "'a', torch.zeros(2, 2)"];
const header = ["import torch", "import torch.nn as nn", "def attempt(f):", "    try:", "        f()", "    except Exception:", "        pass"];

function methodNames(expression: string): string[] {
  const session = startSession("/tmp/torchshape-native-arguments.py", { source: [...header, `names = dir(${expression})`].join("\n") + "\n" });
  const names = session.main.scope.vars.get("names");
  return names?.kind === "list" ? names.items.flatMap((n) => (n.kind === "str" ? [n.value] : [])) : [];
}

describe("methods of torch's modules called with missing or odd arguments", () => {
  for (const expression of modules) {
    it(expression, () => {
      const names = methodNames(expression);
      expect(names).toContain("add_module");
      const escaped: string[] = [];
      for (const name of names) {
        const calls = argumentLists.map((args) => `attempt(lambda: getattr(${expression}, '${name}')(${args}))`);
        try {
          startSession("/tmp/torchshape-native-arguments.py", { source: [...header, ...calls].join("\n") + "\n" });
        } catch (e) {
          if (!(e instanceof PyException)) escaped.push(`${name}: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
        }
      }
      expect(escaped).toEqual([]);
    }, 60_000);
  }

  it("a missing argument is Python's TypeError naming it", () => {
    const session = startSession("/tmp/torchshape-native-arguments.py", { source: [...header, "net = nn.Sequential(nn.Linear(2, 2))", "net()"].join("\n") + "\n" });
    expect(session.interp.notes.map((n) => n.message)).toContain("module-level statement at line 9 raised TypeError: Sequential.forward() missing required argument: 'input'");
  });
});
