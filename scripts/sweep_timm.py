#!/usr/bin/env python3
"""Goldens for the local timm sweep, from real PyTorch (never committed, never run in CI).

Each entry of scripts/sweep_timm.json (a factory function of timm's own source)
is built in PyTorch and run once with forward hooks, exactly as
scripts/make_goldens.py does for the fixtures; the golden is written to
.cache/sweeps/timm/NAME.golden.json with the entry beside it, for
scripts/sweep_compare.mjs to run torchshape on the same source.

  /usr/bin/python3 scripts/sweep_timm.py --timm /work/ext/timm-0.9.16 [--only resnet50] [--force]
"""

import re
import sys

from sweep_goldens import sweep_main


def slug(model_expr):
    return re.sub(r"\W+", "_", model_expr).strip("_")


if __name__ == "__main__":
    sys.exit(sweep_main("timm", slug, __doc__, "folder holding the timm package (timm v0.9.x)", "a model expression's name (resnet50)"))
