#!/usr/bin/env python3
"""Record torchinfo's compute and memory figures for the goldens, from real runs.

torchinfo (its current source, fetched) is run locally and never committed: put its
source tree on PYTHONPATH.

Usage:
  PYTHONPATH=/path/to/torchinfo /usr/bin/python3 scripts/make_torchinfo_goldens.py fixtures/models/*.py
      -> writes fixtures/models/foo.torchinfo.json beside each golden
  PYTHONPATH=... /usr/bin/python3 scripts/make_torchinfo_goldens.py --manifest fixtures/torchvision/models.json
      -> writes NAME.torchinfo.json beside the manifest for every entry (--only NAME to limit)
  --check   regenerate in memory; exit 1 if any file on disk differs

Each model is built and fed exactly as scripts/make_goldens.py does (same seed, same
inputs), then summarised by torchinfo.summary(model, input_data=inputs, mode="eval").
Recorded per model: the totals torchinfo computes (ModelStatistics: total_mult_adds,
total_input, total_output_bytes, total_param_bytes), the footer lines it prints, and
every executed leaf call (torchinfo's rows with no child modules) with its mult-adds.

Beside them, `profiler_flops`: the flops PyTorch 1.13's own profiler
(torch.profiler.profile(with_flops=True)) counts for the matrix products of one forward
pass in eval mode with grad enabled (so no fused fast path hides them): aten::conv2d,
mm, addmm, bmm and baddbmm, 2 per multiply-add. `complete` is false when the pass ran a
matrix product the profiler does not count (conv1d/3d, transposed convolutions, in-place
addmm_, fused attention kernels, and a conv2d with string padding, for which 1.13 counts
0): then the total is a lower bound, not a reference.
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import make_goldens as mg  # noqa: E402

try:
    import torchinfo  # noqa: E402
except ImportError:
    print("make_torchinfo_goldens: torchinfo is not importable; put its source tree on PYTHONPATH", file=sys.stderr)
    sys.exit(2)

SCRIPT = "scripts/make_torchinfo_goldens.py"
PROFILED = ("aten::conv2d", "aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm")
NOT_PROFILED = ("aten::conv1d", "aten::conv3d", "aten::conv_transpose1d", "aten::conv_transpose2d", "aten::conv_transpose3d",
                "aten::addmm_", "aten::baddbmm_", "aten::_native_multi_head_attention", "aten::_transformer_encoder_layer_fwd",
                "aten::mv", "aten::dot", "aten::addmv")


def profiler_flops(build, inputs):
    torch.manual_seed(0)
    model = build()
    model.eval()
    data = mg.make_inputs(inputs)
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], with_flops=True) as prof:
        model(*data)
    by_op, missed = {}, set()
    for e in prof.events():
        if e.name in PROFILED:
            by_op[e.name] = by_op.get(e.name, 0) + (e.flops or 0)
            if not e.flops:  # 1.13 counts nothing for a conv2d with padding="same"/"valid"
                missed.add(e.name + " (counted 0)")
        elif e.name in NOT_PROFILED:
            missed.add(e.name)
    return {"total": sum(by_op.values()), "complete": not missed, "by_op": by_op, "not_counted": sorted(missed)}
FOOTER_PREFIXES = ("Total mult-adds", "Input size", "Forward/backward pass size", "Params size", "Estimated Total Size")


def summarise(build, inputs):
    torch.manual_seed(0)
    model = build()
    model.eval()
    names = {}
    for n, m in model.named_modules():
        names.setdefault(id(m), n)
    data = mg.make_inputs(inputs)
    stats = torchinfo.summary(model, input_data=data, mode="eval", verbose=0, depth=100)
    leaves = [
        {"name": names.get(id(li.module), li.var_name), "type": li.class_name, "mult_adds": li.macs,
         "output_bytes": li.output_bytes, "params": li.num_params}
        for li in stats.summary_list
        if li.is_leaf_layer and li.executed
    ]
    footer = [ln for ln in str(stats).splitlines() if ln.startswith(FOOTER_PREFIXES)]
    return {
        "profiler_flops": profiler_flops(build, inputs),
        "mult_adds": stats.total_mult_adds,
        "input_bytes": stats.total_input,
        "forward_backward_bytes": stats.total_output_bytes,
        "params_bytes": stats.total_param_bytes,
        "estimated_total_bytes": stats.total_input + stats.total_output_bytes + stats.total_param_bytes,
        "footer": footer,
        "leaf_calls": leaves,
    }


def document(models):
    return {
        "generated_by": {"torch": torch.__version__, "torchinfo": getattr(torchinfo, "__version__", "?"), "script": SCRIPT},
        "models": models,
    }


def dump(doc):
    # one leaf call per line keeps diffs readable
    head = json.dumps({k: v for k, v in doc.items() if k != "models"}, indent=2)[:-2]
    parts = []
    for m in doc["models"]:
        fields = [f'      "{k}": {json.dumps(v)}' for k, v in m.items() if k != "leaf_calls"]
        calls = ",\n".join(f"        {json.dumps(c)}" for c in m["leaf_calls"])
        fields.append(f'      "leaf_calls": [\n{calls}\n      ]' if calls else '      "leaf_calls": []')
        parts.append("    {\n" + ",\n".join(fields) + "\n    }")
    return head + ',\n  "models": [\n' + ",\n".join(parts) + "\n  ]\n}\n"


def process_file(path):
    disp = mg.display_path(path)
    found, _ = mg.find_annotated_classes(path, disp)
    if not found:
        raise mg.GoldenError(f"{disp}: no '# torchshape: input=...' comment above any class")
    mod = mg.import_file(path)
    models = []
    for cls_name, line, model_expr, inputs in found:
        try:
            figures = summarise(mg._builder(mod, cls_name, model_expr), inputs)
        except Exception as exc:
            raise mg.GoldenError(f"{disp}:{line} ({cls_name}): torchinfo failed: {mg.error_line(exc)}")
        models.append({"name": cls_name, "file": disp, "line": line, **figures})
    return [(os.path.splitext(path)[0] + ".torchinfo.json", dump(document(models)))]


def manifest_outputs(manifest_path, only):
    outputs = []
    for entry, modname, specs, base in mg.manifest_entries(manifest_path, only):
        inputs = [i for spec in specs for i in mg.parse_annotation("input=" + spec, f"{entry['name']} input {spec}")[1]]
        ns = dict(vars(mg.importlib.import_module(modname)))
        try:
            figures = summarise(lambda: eval(entry["model"], dict(ns)), inputs)
        except Exception as exc:
            raise mg.GoldenError(f"{entry['name']}: torchinfo failed: {mg.error_line(exc)}")
        outputs.append((base + ".torchinfo.json", dump(document([{"name": entry["model"], **figures}]))))
    return outputs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="fixture .py files")
    ap.add_argument("--manifest", help="a JSON manifest of installed torchvision models")
    ap.add_argument("--only", action="append", default=[], help="with --manifest: only this model name (repeatable)")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if any file on disk differs")
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    try:
        if args.manifest:
            outputs = manifest_outputs(args.manifest, set(args.only))
        elif args.files:
            outputs = [o for f in args.files for o in process_file(f)]
        else:
            ap.error("no fixture files or --manifest given")
    except mg.GoldenError as exc:
        print(f"make_torchinfo_goldens: ERROR: {exc}", file=sys.stderr)
        return 2
    stale = 0
    for out_path, text in outputs:
        if args.check:
            old = open(out_path, encoding="utf-8").read() if os.path.exists(out_path) else None
            if old != text:
                stale += 1
                print(f"{mg.display_path(out_path)}: {'missing' if old is None else 'differs'}", file=sys.stderr)
        else:
            with open(out_path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            print(f"wrote {mg.display_path(out_path)}")
    if args.check and stale:
        print(f"make_torchinfo_goldens: {stale} of {len(outputs)} file(s) out of date", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
