#!/usr/bin/python3
"""Records what real Python gives for each snippet of fixtures/builtins/cases.json.

Writes fixtures/builtins/expected.json: for every snippet, repr(value), or "!Name"
when it raises exception Name. It also checks the listed method names against the
running Python (dir() of each type) so that the list and the interpreter agree.

    /usr/bin/python3 scripts/record_builtin_values.py
"""
import builtins
import contextlib
import io
import json
import pathlib
import sys
import warnings

warnings.simplefilter("ignore")  # warnings.warn snippets
root = pathlib.Path(__file__).resolve().parent.parent
cases = json.loads((root / "fixtures/builtins/cases.json").read_text())


def record(expr):
    return record_in(expr, {})


def record_in(expr, namespace):
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # print() snippets
            return repr(eval(expr, dict(namespace)))
    except Exception as e:  # the snippet's own failure is its expected outcome
        return "!" + type(e).__name__


expected = {}
for type_name, spec in cases["types"].items():
    cls = eval(type_name)
    for method, snippets in spec["methods"].items():
        if not hasattr(cls, method):
            sys.exit(f"{type_name}.{method} is listed but Python {sys.version.split()[0]} has no such attribute")
        expected[f"{type_name}.{method}"] = [record(s) for s in snippets]
for name, snippets in cases["functions"]["cases"].items():
    expected[name] = [record(s) for s in snippets]
for name in [*cases["functions"]["cases"], *cases["functions"]["notExecuted"]]:
    if not hasattr(builtins, name):
        sys.exit(f"builtins.{name} is listed but does not exist")
import importlib

for module, spec in cases["modules"].items():
    if module == "about":
        continue
    namespace = {module: importlib.import_module(module)}
    for name in spec["names"]:
        if not hasattr(namespace[module], name):
            sys.exit(f"{module}.{name} is listed but does not exist")
    expected[f"module {module}"] = [record_in(s, namespace) for s in spec["cases"]]
out = {"python": sys.version.split()[0], "values": expected}
(root / "fixtures/builtins/expected.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
print(f"{sum(len(v) for v in expected.values())} values recorded")
