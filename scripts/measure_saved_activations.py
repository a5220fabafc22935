#!/usr/bin/env python3
"""What autograd really keeps for backward: the bytes of the tensors a forward pass
saves (torch.autograd.graph.saved_tensors_hooks), for batch 1 and 2, so the per-sample
and fixed parts are exact. Parameters' and the input's storage are left out (they are
counted on their own); each storage is counted once however many ops save it.

Usage:
  python3 scripts/measure_saved_activations.py --module torchvision.models.resnet \
      --model "resnet50()" --input 3,224,224
  python3 scripts/measure_saved_activations.py --file fixtures/models/article_net.py \
      --model "Net()" --input 3,32,32
Prints JSON: saved bytes per sample and fixed. --record FILE also writes it into FILE
(fixtures/compute/saved_activations.json), keyed by the model's name, for
test/memory.test.ts, which compares torchshape's activation estimate with it.
"""

import argparse
import importlib
import importlib.util
import json
import os
import sys

sys.dont_write_bytecode = True

import torch


def load_namespace(args):
    if args.module:
        return vars(importlib.import_module(args.module))
    spec = importlib.util.spec_from_file_location("measured", args.file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return vars(module)


def measure(model, shape, batch):
    params = {p.untyped_storage().data_ptr() if hasattr(p, "untyped_storage") else p.storage().data_ptr() for p in model.parameters()}
    x = torch.randn(batch, *shape)
    storages = {}

    def storage_of(t):
        s = t.untyped_storage() if hasattr(t, "untyped_storage") else t.storage()
        return s.data_ptr(), s.nbytes()

    def pack(t):
        ptr, nbytes = storage_of(t)
        if ptr not in params and ptr != storage_of(x)[0]:
            storages[ptr] = nbytes
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x)
    return sum(storages.values())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--module")
    parser.add_argument("--file")
    parser.add_argument("--model", required=True)
    parser.add_argument("--input", required=True, help="one sample's shape, without the batch")
    parser.add_argument("--name", help="the entry's key in --record's file (default: --model)")
    parser.add_argument("--record", help="a JSON file to write the figures into")
    args = parser.parse_args()
    torch.manual_seed(0)
    model = eval(args.model, load_namespace(args))
    model.train()
    shape = [int(d) for d in args.input.split(",")]
    one, two = measure(model, shape, 1), measure(model, shape, 2)
    figures = {"source": args.module or args.file, "model": args.model, "input": shape, "torch": torch.__version__,
               "saved_bytes_per_sample": two - one, "saved_bytes_fixed": 2 * one - two}
    print(json.dumps(figures))
    if args.record:
        recorded = json.load(open(args.record)) if os.path.exists(args.record) else {}
        recorded[args.name or args.model] = figures
        with open(args.record, "w") as f:
            json.dump(recorded, f, indent=2, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
