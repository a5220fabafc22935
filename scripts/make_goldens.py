#!/usr/bin/env python3
"""Generate torchshape golden files by running models in real PyTorch.

Usage:
  python3 scripts/make_goldens.py fixtures/models/foo.py [more.py ...]
      -> writes fixtures/models/foo.golden.json beside each file
  python3 scripts/make_goldens.py --module torchvision.models.resnet \
      --model "resnet18()" --input 1,3,224,224 --out fixtures/torchvision/resnet18.golden.json
  python3 scripts/make_goldens.py --manifest fixtures/torchvision/models.json
      -> one golden per manifest entry ({"name", "file", "model", "input"}, file
         relative to the torchvision package, input one shape or a list of shapes),
         written beside the manifest as NAME.golden.json
  python3 scripts/make_goldens.py --notebook fixtures/notebooks/article_net.ipynb \
      --model "Net()" --input 4,3,32,32 --out fixtures/notebooks/article_net.golden.json
      -> runs the notebook's code cells in order (IPython magic and shell lines
         left out), then the model on the input
  --check          regenerate in memory; exit 1 if any file on disk differs
  --expect-error   files with '# expect-error: <code>' header lines must raise;
                   writes foo.torch-error.txt ('Type: first line of message')

A model in a fixture file is any module-level class whose `class` line is
directly preceded by (or ends with) a comment like

  # torchshape: input=1,3,32,32
  # torchshape: model=MLP(sizes=[4, 8, 2]) input=3,4
  # torchshape: input=2,10:int64 input=2,10
  # torchshape: input=[3,320,320],[3,320,320]     (one argument: a list of two tensors)

Goldens are only ever produced from successful real forward passes.
"""

import argparse
import ast
import importlib
import importlib.util
import json
import os
import re
import sys
import traceback

sys.dont_write_bytecode = True  # keep __pycache__ out of fixtures/ (fixtures import each other)

import torch
import torch.nn as nn

SCRIPT = "scripts/make_goldens.py"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DTYPES = {
    "float32": torch.float32, "float": torch.float32,
    "float64": torch.float64, "double": torch.float64,
    "float16": torch.float16, "half": torch.float16,
    "bfloat16": torch.bfloat16,
    "int64": torch.int64, "long": torch.int64,
    "int32": torch.int32, "int": torch.int32,
    "bool": torch.bool,
}
CANONICAL = {
    torch.float32: "float32", torch.float64: "float64", torch.float16: "float16",
    torch.bfloat16: "bfloat16", torch.int64: "int64", torch.int32: "int32",
    torch.bool: "bool",
}

ANNOT_RE = re.compile(r"#\s*torchshape:\s*(.*)$")
INPUT_RE = re.compile(r"(?:^|\s)input=([0-9][0-9,\s]*?)(?::([A-Za-z0-9_]+))?(?=\s|$)")
# a forward argument that is a list of tensors: bracketed shapes, `[3,320,320],[3,320,320]`
# (or `[[3,320,320]]`, a list of one); each item may carry its own `:dtype`
LIST_INPUT_RE = re.compile(r"(?:^|\s)input=(\[\S*)")
LIST_ITEM_RE = re.compile(r"\[([0-9,\s]*)\](?::([A-Za-z0-9_]+))?")
EXPECT_RE = re.compile(r"#\s*expect-error:\s*([\w-]+)")  # a whole-line or trailing comment


class GoldenError(Exception):
    pass


# ---------------------------------------------------------------- parsing

def parse_list_input(text, where):
    """`[3,320,320],[3,320,320]` or `[[3,320,320]]` -> [(shape, dtype_name), ...]."""
    body = text
    if body.startswith("[[") and body.endswith("]]"):
        body = body[1:-1]
    items, pos = [], 0
    while pos < len(body):
        m = LIST_ITEM_RE.match(body, pos)
        if not m:
            raise GoldenError(f"{where}: malformed list input '{text}' (expected e.g. [3,320,320],[3,320,320])")
        dims = [int(d) for d in m.group(1).replace(" ", "").split(",") if d != ""]
        dname = (m.group(2) or "float32").lower()
        if dname not in DTYPES:
            raise GoldenError(f"{where}: unknown dtype '{dname}' in torchshape comment")
        items.append((dims, CANONICAL[DTYPES[dname]]))
        pos = m.end()
        if pos < len(body):
            if body[pos] != ",":
                raise GoldenError(f"{where}: malformed list input '{text}' (expected e.g. [3,320,320],[3,320,320])")
            pos += 1
    if not items:
        raise GoldenError(f"{where}: a list input needs at least one tensor")
    return items


def parse_annotation(text, where):
    """Parse the part after '# torchshape:'. Returns (model_expr|None, inputs): each
    input is (shape, dtype_name) for a tensor, or ("list", [(shape, dtype_name), ...])
    for a forward argument that is a list of tensors."""
    text = text.strip()
    model_expr = None
    rest = text
    m = re.search(r"(?:^|\s)model=", text)
    if m:
        start = m.end()
        nxt = re.search(r"\sinput=", text[start:])
        end = start + nxt.start() if nxt else len(text)
        model_expr = text[start:end].strip()
        rest = text[:m.start()] + " " + text[end:]
    found = []  # (position, input)
    for lm in LIST_INPUT_RE.finditer(rest):
        found.append((lm.start(), ("list", parse_list_input(lm.group(1), where))))
    rest = LIST_INPUT_RE.sub(" ", rest)
    for im in INPUT_RE.finditer(rest):
        dims_s = im.group(1).replace(" ", "").strip(",")
        dims = [int(d) for d in dims_s.split(",") if d != ""]
        dname = (im.group(2) or "float32").lower()
        if dname not in DTYPES:
            raise GoldenError(f"{where}: unknown dtype '{dname}' in torchshape comment")
        found.append((im.start(), (dims, CANONICAL[DTYPES[dname]])))
    inputs = [inp for _, inp in sorted(found, key=lambda f: f[0])]
    leftover = INPUT_RE.sub(" ", rest).strip()
    if leftover:
        raise GoldenError(f"{where}: cannot parse torchshape comment part: {leftover!r}")
    if not inputs:
        raise GoldenError(f"{where}: torchshape comment has no input=")
    if model_expr == "":
        raise GoldenError(f"{where}: empty model= expression")
    return model_expr, inputs


def find_annotated_classes(path, display):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    lines = src.splitlines()
    tree = ast.parse(src, filename=path)
    found = []
    for node in tree.body:  # module-level classes only
        if not isinstance(node, ast.ClassDef):
            continue
        cls_line = node.lineno  # line of the `class` keyword (1-based)
        candidates = [lines[cls_line - 1]]  # trailing comment on class line
        if cls_line >= 2:
            candidates.append(lines[cls_line - 2])
        if node.decorator_list:
            first = min(d.lineno for d in node.decorator_list)
            if first >= 2:
                candidates.append(lines[first - 2])
        for cand in candidates:
            am = ANNOT_RE.search(cand)
            if am:
                where = f"{display}:{cls_line}"
                model_expr, inputs = parse_annotation(am.group(1), where)
                found.append((node.name, cls_line, model_expr, inputs))
                break
    return found, lines


def expected_errors(lines):
    codes = []
    for ln in lines:
        m = EXPECT_RE.search(ln)
        if m:
            codes.append(m.group(1))
    return codes


# ---------------------------------------------------------------- running

def shape_of(x):
    """Encode a forward output: tensor -> [ints]; tuple/list -> nested; a dict -> its
    values' shapes in order (detection models return a list of dicts); else None."""
    if isinstance(x, torch.Tensor):
        return [int(d) for d in x.shape]
    if isinstance(x, nn.utils.rnn.PackedSequence):
        return None
    if isinstance(x, (tuple, list)):
        return [shape_of(e) for e in x]
    if isinstance(x, dict):
        return [shape_of(e) for e in x.values()]
    return None


def first_tensor_shape(args):
    """Shape of the first tensor in positional args, depth-first through tuples/lists."""
    for a in args:
        if isinstance(a, torch.Tensor):
            return [int(d) for d in a.shape]
        if isinstance(a, nn.utils.rnn.PackedSequence):
            continue
        if isinstance(a, (tuple, list)):
            s = first_tensor_shape(a)
            if s is not None:
                return s
    return None


CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)


def is_row_module(m):
    # The contract: containers are not rows, their children are; an empty one
    # (an nn.Sequential() used as an identity shortcut) has no children, so a
    # hook on it records each call, and it is a row.
    if len(list(m.children())) == 0:
        return True
    if isinstance(m, CONTAINERS):
        return False
    return type(m).__module__.startswith("torch.nn")


def make_inputs(inputs):
    tensors = []
    for dims, dname in inputs:
        if dims == "list":
            tensors.append(make_inputs(dname))
            continue
        dt = DTYPES[dname]
        if dt == torch.bool:
            t = torch.randint(0, 2, dims).bool()
        elif dt in (torch.int64, torch.int32):
            t = torch.randint(0, 10, dims, dtype=dt)
        else:
            t = torch.randn(*dims, dtype=dt) if dims else torch.randn((), dtype=dt)
        tensors.append(t)
    return tensors


def run_model(build, inputs):
    """build: zero-arg callable returning the model. Returns (layers, output_shape, total, trainable)."""
    torch.manual_seed(0)
    model = build()
    if not isinstance(model, nn.Module):
        raise GoldenError(f"model expression did not produce an nn.Module (got {type(model).__name__})")
    model.eval()
    names = {}
    for n, m in model.named_modules():
        names.setdefault(id(m), n)

    rows = []          # list of (module, row dict)
    stack = []         # per active hooked call: row dict or None
    active_rows = [0]  # number of row modules currently executing
    handles = []

    def pre_hook(mod, args):
        if active_rows[0] > 0:
            stack.append(("nested", None))
            return
        if is_row_module(mod):
            name = names.get(id(mod), "")
            row = {
                "name": name,
                "type": type(mod).__name__,
                "params": None,
                "trainable_params": None,
                "input_shape": first_tensor_shape(args),
                "output_shape": None,
                "depth": len(name.split(".")) if name else 0,
            }
            rows.append((mod, row))
            stack.append(("row", row))
            active_rows[0] += 1
        else:
            stack.append(("container", None))

    def fwd_hook(mod, args, output):
        kind, row = stack.pop()
        if kind == "row":
            row["output_shape"] = shape_of(output)
            active_rows[0] -= 1

    for m in model.modules():
        handles.append(m.register_forward_pre_hook(pre_hook))
        handles.append(m.register_forward_hook(fwd_hook))

    torch.manual_seed(0)
    xs = make_inputs(inputs)
    try:
        with torch.no_grad():
            out = model(*xs)
    finally:
        for h in handles:
            h.remove()
    if stack:
        raise GoldenError("hook stack not balanced after forward (internal error)")

    layers = []
    for mod, row in rows:
        ps = list(mod.parameters())
        row["params"] = int(sum(p.numel() for p in ps))
        row["trainable_params"] = int(sum(p.numel() for p in ps if p.requires_grad))
        layers.append(row)
    total = int(sum(p.numel() for p in model.parameters()))
    trainable = int(sum(p.numel() for p in model.parameters() if p.requires_grad))
    return layers, shape_of(out), total, trainable


def import_file(path):
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    modname = "torchshape_fixture_" + re.sub(r"\W", "_", os.path.splitext(os.path.relpath(os.path.abspath(path), REPO_ROOT))[0])
    spec = importlib.util.spec_from_file_location(modname, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[modname] = mod
    spec.loader.exec_module(mod)
    return mod


def display_path(path):
    ap = os.path.abspath(path)
    rel = os.path.relpath(ap, REPO_ROOT)
    if rel.startswith(".."):
        return path.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def model_entry(name, file, line, inputs, result):
    layers, out_shape, total, trainable = result
    e = {"name": name, "file": file}
    if line is not None:
        e["line"] = line
    e["inputs"] = [[list(d) for d, _ in dn] if d == "list" else list(d) for d, dn in inputs]
    e["input_dtypes"] = [[n for _, n in dn] if d == "list" else dn for d, dn in inputs]
    e["layers"] = layers
    e["output_shape"] = out_shape
    e["total_params"] = total
    e["trainable_params"] = trainable
    return e


def golden_doc(files, models):
    return {
        "version": 1,
        "generated_by": {"torch": torch.__version__, "script": SCRIPT},
        "files": files,
        "models": models,
        "diagnostics": [],
    }


# ---------------------------------------------------------------- output

def _inline(v):
    return json.dumps(v, separators=(", ", ": "), ensure_ascii=False)


def dump(doc):
    """Deterministic JSON text: one key per line, every layer row on one line,
    every other non-model value (shapes, lists of shapes, generated_by) inline."""
    def obj(d, ind, render):
        pad = " " * ind
        items = [pad + " " + json.dumps(k) + ": " + render(k, v, ind + 1) for k, v in d.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"

    def lst(xs, ind, render_item):
        if not xs:
            return "[]"
        pad = " " * ind
        return "[\n" + ",\n".join(pad + " " + render_item(x) for x in xs) + "\n" + pad + "]"

    def model_val(k, v, ind):
        if k == "layers":
            return lst(v, ind, _inline)
        return _inline(v)

    def top_val(k, v, ind):
        if k == "models":
            return lst(v, ind, lambda m: obj(m, ind + 1, model_val))
        if k == "diagnostics":
            return lst(v, ind, _inline)
        return _inline(v)

    return obj(doc, 0, top_val) + "\n"


# ---------------------------------------------------------------- driver

def error_line(exc):
    msg = str(exc)
    first = ""
    for ln in msg.splitlines():
        if ln.strip():
            first = ln.strip()
            break
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def process_file(path, expect_error_mode):
    """Returns list of (out_path, text)."""
    disp = display_path(path)
    if not os.path.isfile(path):
        raise GoldenError(f"{disp}: no such file")
    found, lines = find_annotated_classes(path, disp)
    codes = expected_errors(lines)
    base = os.path.splitext(path)[0]
    if codes and expect_error_mode:
        try:
            mod = import_file(path)
            if not found:
                raise GoldenError(f"{disp}: no '# torchshape: input=...' comment above any class")
            for cls_name, line, model_expr, inputs in found:
                build = _builder(mod, cls_name, model_expr)
                run_model(build, inputs)
        except GoldenError:
            raise
        except Exception as exc:  # the expected failure
            return [(base + ".torch-error.txt", error_line(exc) + "\n")]
        raise GoldenError(f"{disp}: has '# expect-error: {', '.join(codes)}' but every model ran without error in PyTorch")

    if not found:
        raise GoldenError(f"{disp}: no '# torchshape: input=...' comment above any class")
    try:
        mod = import_file(path)
    except Exception as exc:
        raise GoldenError(f"{disp}: importing the file failed: {error_line(exc)}\n{traceback.format_exc()}")
    models = []
    for cls_name, line, model_expr, inputs in found:
        build = _builder(mod, cls_name, model_expr)
        try:
            result = run_model(build, inputs)
        except GoldenError as exc:
            raise GoldenError(f"{disp}:{line} ({cls_name}): {exc}")
        except Exception as exc:
            hint = " (file has '# expect-error' lines: use --expect-error)" if codes else ""
            raise GoldenError(f"{disp}:{line} ({cls_name}): model raised in PyTorch{hint}: {error_line(exc)}\n{traceback.format_exc()}")
        models.append(model_entry(cls_name, disp, line, inputs, result))
    return [(base + ".golden.json", dump(golden_doc([disp], models)))]


def _builder(mod, cls_name, model_expr):
    ns = vars(mod)
    if model_expr:
        return lambda: eval(model_expr, dict(ns))
    cls = getattr(mod, cls_name)
    return lambda: cls()


def process_module(modname, model_expr, input_specs):
    mod = importlib.import_module(modname)
    inputs = []
    for spec in input_specs:
        _, ins = parse_annotation("input=" + spec, f"--input {spec}")
        inputs.extend(ins)
    try:
        result = run_model(lambda: eval(model_expr, dict(vars(mod))), inputs)
    except Exception as exc:
        raise GoldenError(f"{modname}: {model_expr}: model raised in PyTorch: {error_line(exc)}\n{traceback.format_exc()}")
    src = getattr(mod, "__file__", None)
    file_disp = modname.replace(".", "/") + ".py"
    if src and os.path.basename(src) == "__init__.py":
        file_disp = modname.replace(".", "/") + "/__init__.py"
    entry = model_entry(model_expr, file_disp, None, inputs, result)
    entry = {"name": entry.pop("name"), "module": modname, **entry}
    return dump(golden_doc([], [entry]))


IPYTHON_LINE_RE = re.compile(r"^\s*(?:[%!?]|[A-Za-z_][\w.]*\s*=\s*[%!])")


def notebook_python(path):
    """A notebook's code cells joined in order, as a kernel would run them; magic and shell lines left out."""
    with open(path, encoding="utf-8") as fh:
        nb = json.load(fh)
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if src.startswith("%%"):
            raise GoldenError(f"{display_path(path)}: cell magics are not run here")
        cells.append("\n".join("" if IPYTHON_LINE_RE.match(ln) else ln for ln in src.split("\n")))
    return "\n".join(cells) + "\n"


def process_notebook(path, model_expr, input_specs):
    disp = display_path(path)
    ns = {"__name__": "__main__"}
    try:
        exec(compile(notebook_python(path), disp, "exec"), ns)
    except Exception as exc:
        raise GoldenError(f"{disp}: running the notebook's cells failed: {error_line(exc)}\n{traceback.format_exc()}")
    inputs = []
    for spec in input_specs:
        _, ins = parse_annotation("input=" + spec, f"--input {spec}")
        inputs.extend(ins)
    try:
        result = run_model(lambda: eval(model_expr, dict(ns)), inputs)
    except Exception as exc:
        raise GoldenError(f"{disp}: {model_expr}: model raised in PyTorch: {error_line(exc)}\n{traceback.format_exc()}")
    return dump(golden_doc([disp], [model_entry(model_expr, disp, None, inputs, result)]))


def manifest_entries(manifest_path, only):
    """(entry, module name, input specs, out path without suffix) for each entry of a manifest of installed-package models."""
    with open(manifest_path, encoding="utf-8") as fh:
        manifest = json.load(fh)
    folder = os.path.dirname(os.path.abspath(manifest_path))
    for entry in manifest["models"]:
        if only and entry["name"] not in only:
            continue
        modname = "torchvision." + entry["file"][: -len(".py")].replace("/", ".")
        inputs = entry["input"] if isinstance(entry["input"], list) else [entry["input"]]
        yield entry, modname, inputs, os.path.join(folder, entry["name"])


def manifest_outputs(manifest_path, only):
    """(out_path, text) for each entry of a manifest of installed-package models."""
    return [(base + ".golden.json", process_module(modname, entry["model"], inputs)) for entry, modname, inputs, base in manifest_entries(manifest_path, only)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="fixture .py files")
    ap.add_argument("--module", help="import an installed module instead of a file")
    ap.add_argument("--model", help="model expression evaluated in the module's namespace")
    ap.add_argument("--input", action="append", default=[], help="input shape, e.g. 1,3,224,224 or 2,10:int64 (repeatable)")
    ap.add_argument("--notebook", help="run a Jupyter notebook's code cells instead of a file (with --model, --input, --out)")
    ap.add_argument("--out", help="output golden path for --module and --notebook modes")
    ap.add_argument("--manifest", help="a JSON manifest of installed torchvision models (see fixtures/torchvision/models.json)")
    ap.add_argument("--only", action="append", default=[], help="with --manifest: only this model name (repeatable)")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if any golden on disk differs")
    ap.add_argument("--expect-error", action="store_true", help="files with '# expect-error:' lines must raise; write .torch-error.txt")
    args = ap.parse_args(argv)

    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    outputs = []
    try:
        if args.manifest:
            if args.files or args.module:
                ap.error("--manifest cannot be combined with fixture files or --module")
            outputs.extend(manifest_outputs(args.manifest, set(args.only)))
        elif args.notebook:
            if args.files or args.module:
                ap.error("--notebook cannot be combined with fixture files or --module")
            if not (args.model and args.input and args.out):
                ap.error("--notebook needs --model, --input and --out")
            outputs.append((args.out, process_notebook(args.notebook, args.model, args.input)))
        elif args.module:
            if args.files:
                ap.error("--module cannot be combined with fixture files")
            if not (args.model and args.input and args.out):
                ap.error("--module needs --model, --input and --out")
            outputs.append((args.out, process_module(args.module, args.model, args.input)))
        else:
            if not args.files:
                ap.error("no fixture files given")
            for f in args.files:
                outputs.extend(process_file(f, args.expect_error))
    except GoldenError as exc:
        print(f"make_goldens: ERROR: {exc}", file=sys.stderr)
        return 2

    stale = 0
    for out_path, text in outputs:
        if args.check:
            try:
                with open(out_path, encoding="utf-8") as fh:
                    old = fh.read()
            except FileNotFoundError:
                old = None
            if old != text:
                stale += 1
                print(f"{display_path(out_path)}: {'missing' if old is None else 'differs'}", file=sys.stderr)
        else:
            d = os.path.dirname(out_path)
            if d:
                os.makedirs(d, exist_ok=True)
            with open(out_path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            print(f"wrote {display_path(out_path)}")
    if args.check:
        if stale:
            print(f"make_goldens: {stale} of {len(outputs)} file(s) out of date", file=sys.stderr)
            return 1
        print(f"make_goldens: {len(outputs)} file(s) up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
