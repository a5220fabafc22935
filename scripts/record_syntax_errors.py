#!/usr/bin/python3
"""Records what real Python's compiler says of each snippet of fixtures/syntax/cases.json.

Writes fixtures/syntax/expected.json: for every snippet, [message, line] of the
SyntaxError that compile() raises, or null when it compiles. Nothing is run.

    /usr/bin/python3 scripts/record_syntax_errors.py
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
cases = json.loads((root / "fixtures/syntax/cases.json").read_text())


def compiled(source):
    try:
        compile(source.lstrip("\ufeff"), "<snippet>", "exec", dont_inherit=True)
        return None
    except SyntaxError as e:  # the snippet's refusal is its expected outcome
        return [e.msg, e.lineno]


out = {"python": sys.version.split()[0]}
for group in ("refused", "accepted", "repaired", "refusedWithError"):
    out[group] = [compiled(s) for s in cases[group]]
    wrong = [s for s, r in zip(cases[group], out[group]) if (r is None) == group.startswith("refused")]
    if wrong:
        sys.exit(f"{group} snippets that Python judges otherwise: {wrong}")
(root / "fixtures/syntax/expected.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
print(f"{sum(len(out[g]) for g in cases if g != 'about')} snippets recorded")
