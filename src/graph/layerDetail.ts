// A layer's settings in a few characters, for its node's label:
// Conv2d(3→16, k3), Linear(512→32), BatchNorm2d(16), Embedding(1000×64), MaxPool2d(k2).
import type { SettingValue } from "../analysis/layerSettings.js";

function text(v: SettingValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "object") return String(v);
  // a square kernel (3, 3) reads as 3
  return v.length > 0 && v.every((i) => i === v[0]) ? String(v[0]) : `(${v.join(", ")})`;
}

export function layerDetail(settings: Readonly<Record<string, SettingValue>>): string {
  const at = (name: string) => text(settings[name]);
  const parts: string[] = [];
  const pair = (a: string, b: string, sep = "→") => {
    const x = at(a);
    const y = at(b);
    if (x !== undefined && y !== undefined) parts.push(`${x}${sep}${y}`);
    return x !== undefined && y !== undefined;
  };
  if (!pair("in_channels", "out_channels") && !pair("in_features", "out_features") && !pair("num_embeddings", "embedding_dim", "×") && !pair("input_size", "hidden_size")) {
    const single = at("num_features") ?? at("normalized_shape") ?? at("embed_dim");
    if (single !== undefined) parts.push(single);
  }
  const kernel = at("kernel_size");
  if (kernel !== undefined) parts.push(`k${kernel}`);
  const stride = at("stride");
  if (stride !== undefined && stride !== "1" && stride !== kernel) parts.push(`s${stride}`);
  const heads = at("num_heads");
  if (heads !== undefined) parts.push(`${heads} heads`);
  const p = at("p");
  if (p !== undefined) parts.push(`p=${p}`);
  return parts.join(", ");
}
