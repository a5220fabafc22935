#!/usr/bin/env python3
"""Goldens for the local timm sweep, from real PyTorch (never committed, never run in CI).

Each entry of scripts/sweep_timm.json (a factory function of timm's own source)
is built in PyTorch and run once with forward hooks, exactly as
scripts/make_goldens.py does for the fixtures; the golden is written to
.cache/sweeps/timm/NAME.golden.json with the entry beside it, for
scripts/sweep_compare.mjs to run torchshape on the same source.

  /usr/bin/python3 scripts/sweep_timm.py --timm /work/ext/timm-0.9.16 [--only resnet50] [--force]
"""

import argparse
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def slug(model_expr):
    return re.sub(r"\W+", "_", model_expr).strip("_")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timm", required=True, help="folder holding the timm package (timm v0.9.x)")
    ap.add_argument("--manifest", default=os.path.join(HERE, "sweep_timm.json"))
    ap.add_argument("--out", default=os.path.join(ROOT, ".cache", "sweeps", "timm"))
    ap.add_argument("--only", action="append", default=[], help="a model expression's name (resnet50); repeatable")
    ap.add_argument("--force", action="store_true", help="remake goldens that exist")
    args = ap.parse_args()

    timm_root = os.path.abspath(args.timm)
    sys.path.insert(0, timm_root)
    sys.path.insert(0, HERE)
    import make_goldens  # noqa: E402  (after sys.path is set)

    with open(args.manifest, encoding="utf-8") as fh:
        entries = json.load(fh)["models"]
    os.makedirs(args.out, exist_ok=True)
    failed = 0
    for entry in entries:
        name = slug(entry["model"])
        if args.only and name not in args.only:
            continue
        out = os.path.join(args.out, name + ".golden.json")
        if os.path.exists(out) and not args.force:
            continue
        module = "timm." + entry["file"][: -len(".py")].replace("/", ".")
        start = time.time()
        try:
            text = make_goldens.process_module(module, entry["model"], [entry["input"]])
        except Exception as exc:  # a model that does not run in PyTorch 1.13 is left out, loudly
            failed += 1
            print(f"{name}: FAILED in PyTorch: {make_goldens.error_line(exc)}", file=sys.stderr)
            continue
        doc = json.loads(text)
        doc["sweep"] = {**entry, "name": name, "source": os.path.join(timm_root, "timm", entry["file"]), "search_path": timm_root,
                        "torch_seconds": round(time.time() - start, 3)}
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1)
            fh.write("\n")
        print(f"{name}: {len(doc['models'][0]['layers'])} rows, {time.time() - start:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
