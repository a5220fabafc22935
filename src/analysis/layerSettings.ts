// The settings a graph node shows of its layer (in/out channels or features, kernel,
// stride, ...), read from the module's attributes as data; src/graph words them.
import type { ObjectValue, Value } from "../eval/values.js";
import { dimToJson } from "../shapes/dim.js";

export type SettingValue = number | string | readonly (number | string)[];

/** The attributes that say what a layer is, as torch.nn names them. */
export const LAYER_SETTING_NAMES = [
  "in_channels", "out_channels", "in_features", "out_features", "num_embeddings", "embedding_dim", "input_size", "hidden_size",
  "num_features", "normalized_shape", "embed_dim", "kernel_size", "stride", "num_heads", "p",
] as const;

function settingValue(v: Value | undefined): SettingValue | undefined {
  if (v?.kind === "int") return dimToJson(v.value);
  if (v?.kind === "float") return v.value;
  if (v?.kind === "tuple" || v?.kind === "list") {
    const items = v.items.map(settingValue);
    return items.every((i): i is number | string => typeof i === "number" || typeof i === "string") ? items : undefined;
  }
  return undefined;
}

export function layerSettings(module: ObjectValue): Readonly<Record<string, SettingValue>> {
  const settings: Record<string, SettingValue> = {};
  for (const name of LAYER_SETTING_NAMES) {
    const value = settingValue(module.attrs.get(name));
    if (value !== undefined) settings[name] = value;
  }
  return settings;
}
