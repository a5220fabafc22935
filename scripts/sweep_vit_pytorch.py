#!/usr/bin/env python3
"""Goldens for the local einops sweep over lucidrains/vit-pytorch, from real PyTorch (never committed, never run in CI).

Each entry of scripts/sweep_vit_pytorch.json (a model class of vit-pytorch's own
source, with a small configuration) is built in PyTorch with einops on the path
and run once with forward hooks, as scripts/make_goldens.py does for the
fixtures; the golden goes to .cache/sweeps/vit_pytorch/NAME.golden.json for
scripts/sweep_compare.mjs to run torchshape on the same source.

  PYTHONPATH=/work/ext/einops-0.7.0 /usr/bin/python3 scripts/sweep_vit_pytorch.py --vit_pytorch /work/ext/vit-pytorch
"""

import re
import sys

from sweep_goldens import sweep_main


def slug(model_expr):
    return re.sub(r"\W+", "_", model_expr).strip("_")


if __name__ == "__main__":
    sys.exit(sweep_main("vit_pytorch", slug, __doc__, "folder holding the vit_pytorch package", "a model expression's name"))
