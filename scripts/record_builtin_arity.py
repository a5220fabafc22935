#!/usr/bin/python3
"""Records how many arguments each built-in callable the evaluator models needs at least.

Writes src/eval/builtins/leastArguments.ts from the running Python's own signatures
(inspect.signature): builtins' functions, the methods of the built-in types (self
counted, as the evaluator's method natives receive it), and the standard-library
modules model code reaches. A native called with fewer raises Python's TypeError
instead of reading an argument that is not there.

    /usr/bin/python3 scripts/record_builtin_arity.py
"""
import builtins
import collections
import copy
import dataclasses
import functools
import inspect
import itertools
import math
import operator
import pathlib
import re
import string
import sys
import typing

root = pathlib.Path(__file__).resolve().parent.parent
P = inspect.Parameter


def least(f):
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):
        return from_docstring(f)
    n = sum(1 for p in sig.parameters.values() if p.default is P.empty and p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD))
    return n or None


def from_docstring(f):
    """Callables without a signature say theirs in the docstring's first line: getattr(object, name[, default])."""
    first = (f.__doc__ or "").split("\n")[0]
    m = re.match(r"^[\w.]+\(([^)]*)\)", first)
    if not m:
        return None
    required = m.group(1).split("[")[0]
    names = [a.strip() for a in required.split(",") if a.strip() and not a.strip().startswith("*") and "=" not in a and a.strip() != "/"]
    # D.pop(k[,d]) and S.add: a method's docstring leaves its self out
    return len(names) + (1 if re.match(r"^[A-Z]\.", first) else 0) or None


table = {}
skip = {"exit", "quit", "input", "open", "help", "breakpoint", "exec", "eval", "compile", "__import__", "print", "copyright", "credits", "license"}
for name in dir(builtins):
    f = getattr(builtins, name)
    if name.startswith("_") or name in skip or isinstance(f, type) or not callable(f):
        continue
    table[name] = least(f)
for t in (str, list, dict, tuple, set, frozenset, int, float, range, slice):
    for name in dir(t):
        if name.startswith("_"):
            continue
        f = getattr(t, name)
        if callable(f) and not isinstance(inspect.getattr_static(t, name), (classmethod, staticmethod)):
            table[f"{t.__name__}.{name}"] = least(f)
for name in ("__setattr__", "__delattr__", "__getattribute__"):
    table[f"object.{name}"] = least(getattr(object, name))
for module in (math, itertools, functools, operator, collections, re, copy, string, inspect, dataclasses):
    for name in dir(module):
        f = getattr(module, name)
        if not name.startswith("_") and callable(f) and not isinstance(f, type):
            table[f"{module.__name__}.{name}"] = least(f)
table = {k: v for k, v in sorted(table.items()) if v}
lines = [
    "// How many arguments each built-in callable needs at least, from Python "
    + sys.version.split()[0]
    + "'s own signatures",
    "// (scripts/record_builtin_arity.py writes this file; do not edit it by hand). A method counts its self.",
    "export const leastArguments: ReadonlyMap<string, number> = new Map([",
    *[f'  ["{k}", {v}],' for k, v in table.items()],
    "]);",
    "",
]
(root / "src/eval/builtins/leastArguments.ts").write_text("\n".join(lines))
print(f"{len(table)} callables")
