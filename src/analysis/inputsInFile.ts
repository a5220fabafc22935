// Inputs written in the file itself: a `# torchshape: input=` comment on the
// class line or the line above it; a call of the model on torch.randn/rand/
// zeros/ones(...) (or on a name bound to one); a torchinfo or torchsummary
// `summary(model, ...)` call.
import type { CallExpr, ClassDef, Expr, PyModule, Stmt } from "../parse/ast.js";
import type { Dim } from "../shapes/dim.js";
import { inputsFromAnnotations } from "./annotationInputs.js";
import { fileCommentsOf } from "./fileComments.js";
import { InputSpecError, parseTorchshapeComment, type TorchshapeComment } from "./inputSpec.js";
import type { InputSpec } from "./summary.js";

export function commentFor(syntax: PyModule, cls: ClassDef): TorchshapeComment | undefined {
  // the class line (after decorators) or the line just above the class or its decorators
  const classLine = cls.nameSpan.line;
  const { byLine } = fileCommentsOf(syntax);
  for (const line of [classLine, cls.span.line, cls.span.line - 1, classLine - 1]) {
    const parsed = byLine.get(line);
    if (parsed) return parsed;
  }
  return undefined;
}

function* walkStatements(body: readonly Stmt[]): Generator<Stmt> {
  for (const s of body) {
    yield s;
    switch (s.kind) {
      case "if":
      case "while":
      case "for":
        yield* walkStatements(s.body);
        yield* walkStatements(s.orelse);
        break;
      case "def":
      case "with":
        yield* walkStatements(s.body);
        break;
      case "try":
        yield* walkStatements(s.body);
        for (const h of s.handlers) yield* walkStatements(h.body);
        break;
      default:
        break;
    }
  }
}

function* callsIn(e: Expr): Generator<CallExpr> {
  if (e.kind === "call") {
    yield e;
    yield* callsIn(e.func);
    for (const a of e.args) yield* callsIn(a);
    for (const k of e.keywords) yield* callsIn(k.value);
  } else if (e.kind === "attribute") yield* callsIn(e.value);
  else if (e.kind === "tuple" || e.kind === "list") for (const x of e.elts) yield* callsIn(x);
}

function intLiteral(e: Expr): number | undefined {
  if (e.kind === "constant" && e.value.type === "int") return e.value.value;
  return undefined;
}

/** torch.randn(1, 3, 32, 32) / torch.zeros((1, 3, 32, 32), dtype=torch.long) → an input spec. */
function creationCallSpec(e: Expr): InputSpec | undefined {
  if (e.kind !== "call" || e.func.kind !== "attribute" || !["randn", "rand", "zeros", "ones", "empty", "randint"].includes(e.func.attr)) return undefined;
  let dims: Expr[] = [...e.args];
  if (e.func.attr === "randint") {
    const size = e.keywords.find((k) => k.name === "size")?.value ?? dims[dims.length - 1];
    dims = size ? [size] : [];
  }
  if (dims.length === 1 && (dims[0].kind === "tuple" || dims[0].kind === "list")) dims = [...dims[0].elts];
  const shape = dims.map(intLiteral);
  if (shape.some((d) => d === undefined)) return undefined;
  const dtypeKw = e.keywords.find((k) => k.name === "dtype")?.value;
  const dtypeName = dtypeKw?.kind === "attribute" ? dtypeKw.attr : undefined;
  const dtype = e.func.attr === "randint" || dtypeName === "long" || dtypeName === "int64" ? "int64" : "float32";
  return { shape: shape as Dim[], dtype };
}

/** Methods that hand the module itself back: `Net().to(device).eval()` is still the Net. */
const returnsSelf = new Set(["to", "eval", "train", "cuda", "cpu", "float", "double", "half", "requires_grad_"]);

/** The constructing call under a chain of module methods that return the module. */
export function unwrapModelCall(e: Expr): Expr {
  let v = e;
  while (v.kind === "call" && v.func.kind === "attribute" && returnsSelf.has(v.func.attr) && v.func.value.kind === "call") v = v.func.value;
  return v;
}

/** Names bound to a tensor creation call: `batch = torch.randn(2, 3, 32, 32)` (the first such binding of each name). */
function createdTensors(body: readonly Stmt[]): Map<string, InputSpec> {
  const tensors = new Map<string, InputSpec>();
  for (const s of walkStatements(body)) {
    if (s.kind !== "assign" || s.targets.length !== 1 || s.targets[0].kind !== "name" || tensors.has(s.targets[0].id)) continue;
    const spec = creationCallSpec(s.value);
    if (spec) tensors.set(s.targets[0].id, spec);
  }
  return tensors;
}

/** Names bound to an instance of the class: `model = Net()`, `net = Net(...).to(device)`. */
function instanceNames(body: readonly Stmt[], className: string): Set<string> {
  const names = new Set<string>();
  for (const s of walkStatements(body)) {
    if (s.kind !== "assign") continue;
    const v = unwrapModelCall(s.value);
    if (v.kind === "call" && v.func.kind === "name" && v.func.id === className)
      for (const t of s.targets) if (t.kind === "name") names.add(t.id);
  }
  return names;
}

/** An input for the class from its forward's shape annotations, else from a call of it in the file. */
export function inputsFromSignatureOrCalls(syntax: PyModule, def: ClassDef): { inputs: InputSpec[]; source: string } | undefined {
  return inputsFromAnnotations(syntax, def) ?? inputsFromCalls(syntax, def.name);
}

/** An input for the class found in the file's code, with where it came from. */
export function inputsFromCalls(syntax: PyModule, className: string): { inputs: InputSpec[]; source: string } | undefined {
  return inputsForInstances(syntax, instanceNames(syntax.body, className), className);
}

/** An input from the calls of a model bound to `names` (or of `className(...)(x)` directly). */
export function inputsForInstances(syntax: PyModule, names: ReadonlySet<string>, className?: string): { inputs: InputSpec[]; source: string } | undefined {
  const usesTorchsummary = syntax.body.some((s) => s.kind === "importfrom" && s.module === "torchsummary");
  const tensors = createdTensors(syntax.body);
  const specOf = (a: Expr) => creationCallSpec(a) ?? (a.kind === "name" ? tensors.get(a.id) : undefined);
  for (const s of walkStatements(syntax.body)) {
    const exprs: Expr[] = s.kind === "expr" ? [s.value] : s.kind === "assign" ? [s.value] : s.kind === "return" && s.value ? [s.value] : [];
    for (const e of exprs) {
      for (const call of callsIn(e)) {
        const callee = call.func;
        const isModelCall = (callee.kind === "name" && names.has(callee.id)) || (callee.kind === "call" && callee.func.kind === "name" && callee.func.id === className);
        if (isModelCall && call.args.length > 0) {
          const specs = call.args.map(specOf);
          if (specs.every((x) => x)) return { inputs: specs as InputSpec[], source: "call" };
        }
        if (callee.kind === "name" && callee.id === "summary" && call.args[0]?.kind === "name" && names.has(call.args[0].id)) {
          const sizeExpr = call.keywords.find((k) => k.name === "input_size")?.value ?? call.args[1];
          if (sizeExpr && (sizeExpr.kind === "tuple" || sizeExpr.kind === "list")) {
            const dims = sizeExpr.elts.map(intLiteral);
            if (dims.every((d) => d !== undefined)) {
              // torchsummary's input_size leaves out the batch; torchinfo's includes it
              const shape = usesTorchsummary ? [1, ...(dims as number[])] : (dims as number[]);
              return { inputs: [{ shape, dtype: "float32" }], source: "summary" };
            }
          }
        }
      }
    }
  }
  return undefined;
}

/** The `# torchshape:` comment of a class known by where it is written (0-based line of it or its decorators) in a file's text. */
export function commentAtClass(text: string, line: number): TorchshapeComment | undefined {
  const lines = text.split("\n");
  // the line above, then down through the decorators to the `class` line
  for (let i = Math.max(0, line - 1); i < Math.min(lines.length, line + 8); i++) {
    const m = /#(\s*torchshape:.*)$/.exec(lines[i]);
    if (m) return readableComment(m[1]);
    if (i >= line && /^\s*class\s/.test(lines[i])) break;
  }
  return undefined;
}

/** A comment of another file: one that cannot be read is reported where that file is checked, and gives nothing here. */
function readableComment(text: string): TorchshapeComment | undefined {
  try {
    return parseTorchshapeComment(text);
  } catch (e) {
    if (e instanceof InputSpecError) return undefined;
    throw e;
  }
}
