// The registry of torch.nn layer rules: one family per file in this folder.
// A test checks that every family file is listed here.
import { activationRules } from "./activation.js";
import { attentionRules } from "./attention.js";
import { convRules } from "./conv.js";
import { linearRules } from "./linear.js";
import { recurrentRules } from "./recurrent.js";
import type { LayerRule } from "./rule.js";
import { transformerRules } from "./transformer.js";

export const layerFamilies: Readonly<Record<string, readonly LayerRule[]>> = {
  activation: activationRules,
  conv: convRules,
  linear: linearRules,
  recurrent: recurrentRules,
  attention: attentionRules,
  transformer: transformerRules,
};

export const layerRules: ReadonlyMap<string, LayerRule> = new Map(Object.values(layerFamilies).flatMap((rules) => rules.map((r) => [r.type, r] as const)));
