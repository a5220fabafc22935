#!/usr/bin/env python3
"""Node and edge counts of `torchshape graph` beside torchview's, for the article and
torchvision's resnet18 at depths 1, 2 and 3 (and any model given on the command line).

Our counts come from the CLI's JSON (no Python needed for them). torchview
(github.com/mert-kurttutan/torchview, never committed) runs the model for real: when it
is importable (put its src/ on PYTHONPATH; it needs torch and the graphviz package,
Debian's python3-torch and python3-graphviz), its counts are printed beside ours, read
from the Graphviz source it makes (a node is a `N [label=...]` line, an edge an arrow).

    /usr/bin/python3 scripts/compare_torchview.py
    PYTHONPATH=/path/to/torchview/src /usr/bin/python3 scripts/compare_torchview.py
"""
import importlib
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = [
    # (label, file, model expression, input shape, python module and builder for torchview)
    ("article Net", os.path.join(ROOT, "fixtures", "models", "article_net.py"), "Net", (1, 3, 32, 32), ("article_net", "Net")),
    ("resnet18", None, "resnet18()", (1, 3, 224, 224), ("torchvision.models", "resnet18")),
]
DEPTHS = (1, 2, 3)


def torchvision_resnet():
    for folder in (os.environ.get("TORCHSHAPE_TORCHVISION"), "/usr/lib/python3/dist-packages/torchvision",
                   os.path.join(ROOT, ".cache", "torchvision", "usr", "lib", "python3", "dist-packages", "torchvision")):
        if folder and os.path.exists(os.path.join(folder, "models", "resnet.py")):
            return os.path.join(folder, "models", "resnet.py")
    sys.exit("torchvision's sources not found (python3-torchvision, or scripts/torchvision_sources.sh)")


def ours(file, model, shape, depth):
    args = ["node", os.path.join(ROOT, "bin", "torchshape.cjs"), "graph", file, "--model", model,
            "--input", ",".join(map(str, shape)), "--depth", str(depth), "--format", "json"]
    out = subprocess.run(args, capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1):
        sys.exit(out.stderr.strip())
    graph = json.loads(out.stdout)["graphs"][0]
    return len(graph["nodes"]), len(graph["edges"])


def theirs(builder, shape, depth):
    import torch  # noqa: F401  (torchview needs it)
    from torchview import draw_graph
    module_name, name = builder
    sys.path.insert(0, os.path.join(ROOT, "fixtures", "models"))
    model = getattr(importlib.import_module(module_name), name)()
    source = draw_graph(model, input_size=shape, depth=depth).visual_graph.source
    return len(re.findall(r"^\s*\w+ \[label=", source, re.M)), len(re.findall(r" -> ", source))


def main():
    try:
        importlib.import_module("torchview")
        have_torchview = True
    except ImportError:
        have_torchview = False
    header = f"{'model':<12} {'depth':>5} {'torchshape nodes/edges':>23}" + (f" {'torchview nodes/edges':>22}" if have_torchview else "")
    print(header)
    for label, file, model, shape, builder in CASES:
        for depth in DEPTHS:
            n, e = ours(file or torchvision_resnet(), model, shape, depth)
            line = f"{label:<12} {depth:>5} {f'{n}/{e}':>23}"
            if have_torchview:
                tn, te = theirs(builder, shape, depth)
                line += f" {f'{tn}/{te}':>22}" + ("" if (tn, te) == (n, e) else "  (differs)")
            print(line)
    if not have_torchview:
        print("(torchview is not importable: put its src/ on PYTHONPATH to compare)")


if __name__ == "__main__":
    main()
