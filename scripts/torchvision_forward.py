#!/usr/bin/env python3
"""The PyTorch side of bench/torchvision.js: import torch and torchvision, build
one model and run one forward pass with the same hooks the goldens use
(scripts/make_goldens.py), as a fresh process. Prints the number of rows.

  /usr/bin/python3 scripts/torchvision_forward.py --module torchvision.models.resnet \
      --model "resnet50()" --input 1,3,224,224
"""
import argparse
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from make_goldens import process_module  # noqa: E402  (imports torch)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--module", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--input", action="append", required=True)
    args = ap.parse_args()
    doc = json.loads(process_module(args.module, args.model, args.input))
    print(len(doc["models"][0]["layers"]))


if __name__ == "__main__":
    main()
