#!/usr/bin/env python3
"""Goldens for the local Hugging Face transformers sweep, from real PyTorch (never committed, never run in CI).

Each entry of scripts/sweep_transformers.json (a model class of one of transformers'
modeling_*.py files, built from a small config) is built in PyTorch and run once with
forward hooks, as scripts/make_goldens.py does for the fixtures; the golden is written
to .cache/sweeps/transformers/NAME.golden.json with the entry beside it, for
scripts/sweep_compare.mjs to run torchshape on the same source.

transformers 4.30-4.32 imports on Debian's PyTorch 1.13 with huggingface_hub 0.16 and a
folder of stubs (a safetensors stub, and *.dist-info/METADATA version records for
safetensors, tokenizers and huggingface_hub) on PYTHONPATH:

  PYTHONPATH=HUB:STUBS /usr/bin/python3 scripts/sweep_transformers.py --transformers FOLDER [--only BertModel] [--force]
"""

import sys

from sweep_goldens import sweep_main


def class_name(model_expr):
    """The class a model expression builds: BertModel(BertConfig(...)) is BertModel."""
    return model_expr.split("(", 1)[0].strip()


if __name__ == "__main__":
    sys.exit(sweep_main("transformers", class_name, __doc__, "folder holding the transformers package (4.30-4.32)", "a model's class name (BertModel)"))
