"""The loop the local sweeps share (scripts/sweep_timm.py, scripts/sweep_transformers.py).

Each manifest entry ({"file": path inside the package, "model": expression, "input": shape})
is built in PyTorch and run once with forward hooks, exactly as scripts/make_goldens.py
does for the fixtures; the golden is written to OUT/NAME.golden.json with the entry
beside it (its source file and search path), for scripts/sweep_compare.mjs to run
torchshape on the same source.
"""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def make_sweep_goldens(package, package_root, manifest, out_dir, name_of, only=(), force=False):
    """Writes the goldens not made yet (all with force); returns the number of models PyTorch could not run."""
    package_root = os.path.abspath(package_root)
    sys.path.insert(0, package_root)
    sys.path.insert(0, HERE)
    import make_goldens  # noqa: E402  (after sys.path is set)

    with open(manifest, encoding="utf-8") as fh:
        entries = json.load(fh)["models"]
    os.makedirs(out_dir, exist_ok=True)
    failed = 0
    for entry in entries:
        name = name_of(entry["model"])
        if only and name not in only:
            continue
        out = os.path.join(out_dir, name + ".golden.json")
        if os.path.exists(out) and not force:
            continue
        module = package + "." + entry["file"][: -len(".py")].replace("/", ".")
        start = time.time()
        try:
            text = make_goldens.process_module(module, entry["model"], [entry["input"]])
        except Exception as exc:  # a model that does not run in PyTorch 1.13 is left out, loudly
            failed += 1
            print(f"{name}: FAILED in PyTorch: {make_goldens.error_line(exc)}", file=sys.stderr)
            continue
        doc = json.loads(text)
        doc["sweep"] = {**entry, "name": name, "source": os.path.join(package_root, package, entry["file"]), "search_path": package_root,
                        "torch_seconds": round(time.time() - start, 3)}
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1)
            fh.write("\n")
        print(f"{name}: {len(doc['models'][0]['layers'])} rows, {time.time() - start:.1f} s")
    return failed


def sweep_main(package, name_of, doc, package_help, only_help):
    """The command line of a sweep script: --PACKAGE FOLDER [--manifest] [--out] [--only NAME] [--force]."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument(f"--{package}", required=True, dest="package_root", metavar="FOLDER", help=package_help)
    ap.add_argument("--manifest", default=os.path.join(HERE, f"sweep_{package}.json"))
    ap.add_argument("--out", default=os.path.join(ROOT, ".cache", "sweeps", package))
    ap.add_argument("--only", action="append", default=[], help=only_help + "; repeatable")
    ap.add_argument("--force", action="store_true", help="remake goldens that exist")
    args = ap.parse_args()
    return 1 if make_sweep_goldens(package, args.package_root, args.manifest, args.out, name_of, args.only, args.force) else 0
