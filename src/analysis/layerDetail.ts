// A layer's settings in a few characters, for a graph node's label:
// Conv2d(3→16, k3), Linear(512→32), BatchNorm2d(16), Embedding(1000×64).
import type { ObjectValue, Value } from "../eval/values.js";
import { dimToString } from "../shapes/dim.js";

function text(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  if (v.kind === "int") return dimToString(v.value);
  if (v.kind === "float") return String(v.value);
  if (v.kind === "tuple" || v.kind === "list") {
    const items = v.items.map(text);
    if (items.some((i) => i === undefined)) return undefined;
    // a square kernel (3, 3) reads as 3
    return items.every((i) => i === items[0]) && items.length > 0 ? items[0] : `(${items.join(", ")})`;
  }
  return undefined;
}

export function layerDetail(module: ObjectValue): string {
  const attr = (name: string) => text(module.attrs.get(name));
  const parts: string[] = [];
  const pair = (a: string, b: string, sep = "→") => {
    const x = attr(a);
    const y = attr(b);
    if (x !== undefined && y !== undefined) parts.push(`${x}${sep}${y}`);
    return x !== undefined && y !== undefined;
  };
  if (!pair("in_channels", "out_channels") && !pair("in_features", "out_features") && !pair("num_embeddings", "embedding_dim", "×") && !pair("input_size", "hidden_size")) {
    const single = attr("num_features") ?? attr("normalized_shape") ?? attr("embed_dim");
    if (single !== undefined) parts.push(single);
  }
  const kernel = attr("kernel_size");
  if (kernel !== undefined) parts.push(`k${kernel}`);
  const stride = attr("stride");
  if (stride !== undefined && stride !== "1" && stride !== kernel) parts.push(`s${stride}`);
  const heads = attr("num_heads");
  if (heads !== undefined) parts.push(`${heads} heads`);
  const p = attr("p");
  if (p !== undefined) parts.push(`p=${p}`);
  return parts.join(", ");
}
