// Which tensors an op's call allocates, by PyTorch's semantics: a view shares its
// input's storage (PyTorch's "Tensor Views" list, with reshape/flatten/contiguous as
// the views they are on the contiguous tensors of a forward pass), an in-place op
// writes into its input, a dtype conversion to the same dtype returns its input, and
// an op of no tensor (torch.zeros, arange) makes a constant autograd never keeps.
import type { Value } from "../eval/values.js";
import type { Tensor } from "../shapes/tensor.js";

const viewMethods = new Set([
  "view", "view_as", "reshape", "reshape_as", "flatten", "unflatten", "squeeze", "unsqueeze", "transpose", "swapaxes",
  "swapdims", "t", "permute", "movedim", "moveaxis", "expand", "expand_as", "narrow", "select", "diagonal", "as_strided",
  "unfold", "split", "split_with_sizes", "tensor_split", "chunk", "unbind", "hsplit", "vsplit", "dsplit", "detach",
  "contiguous", "cpu", "cuda", "real", "imag", "view_as_real", "view_as_complex", "__getitem__", "T", "mT", "H", "mH",
  "alias", "requires_grad_", "retain_grad", "pin_memory", "share_memory_",
]);

/** Conversions copy only into another dtype. */
const conversions = new Set(["to", "type", "type_as", "float", "double", "half", "bfloat16", "int", "long", "bool", "short", "byte", "char"]);

/** The last part of a qualified name: torch.flatten, Tensor.view and F.relu give flatten, view, relu. */
function opName(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf(".") + 1);
}

function isInPlace(name: string, bound: ReadonlyMap<string, Value>): boolean {
  if (/^__i[a-z]+__$/.test(name) || name === "__setitem__") return true;
  if (name.endsWith("_") && !name.startsWith("__")) return true;
  const inplace = bound.get("inplace");
  if (inplace?.kind === "bool" && inplace.value) return true;
  const out = bound.get("out");
  return out !== undefined && out.kind === "tensor";
}

function tensorsOf(v: Value, into: Tensor[] = []): Tensor[] {
  if (v.kind === "tensor") into.push(v);
  else if (v.kind === "tuple" || v.kind === "list") for (const item of v.items) tensorsOf(item, into);
  return into;
}

/**
 * The new tensors of an op's result: none for a view, an in-place op, an op that
 * returns its input (a conversion to the same dtype), or an op with no tensor input.
 */
export function allocatedTensors(qualifiedName: string, bound: ReadonlyMap<string, Value>, result: Value): Tensor[] {
  const inputs = [...bound.values()].flatMap((v) => tensorsOf(v));
  if (inputs.length === 0) return [];
  const name = opName(qualifiedName);
  if (isInPlace(name, bound)) return [];
  const outputs = tensorsOf(result).filter((t) => !inputs.includes(t));
  if (conversions.has(name)) return outputs.filter((t) => !inputs.some((i) => i.dtype === t.dtype));
  // indexing by a tensor or a list gathers into a new tensor; basic indexing is a view
  if (name === "__getitem__") return indexesByTensorOrList(bound.get("index")) ? outputs : [];
  return viewMethods.has(name) ? [] : outputs;
}

function indexesByTensorOrList(index: Value | undefined): boolean {
  if (index === undefined) return false;
  if (index.kind === "tensor" || index.kind === "list") return true;
  return index.kind === "tuple" && index.items.some((i) => i.kind === "tensor" || i.kind === "list");
}
