#!/usr/bin/python3
"""Records what real Python gives for each snippet of fixtures/exceptions/messages.json.

Writes fixtures/exceptions/expected.json: every snippet's value (a str), evaluated with
the helpers of fixtures/exceptions/prelude.py.

    /usr/bin/python3 scripts/record_exception_messages.py
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent / "fixtures/exceptions"
namespace = {}
exec((root / "prelude.py").read_text(), namespace)
snippets = json.loads((root / "messages.json").read_text())["snippets"]
values = {s: eval(s, dict(namespace)) for s in snippets}
for s, v in values.items():
    if not isinstance(v, str):
        sys.exit(f"{s} gives {v!r}, not a str")
record = {"python": sys.version.split()[0], "values": values}
(root / "expected.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
print(f"{len(values)} snippets recorded")
