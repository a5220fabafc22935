// The registry of torch.nn layer rules: one family per file in this folder.
// A test checks that every family file is listed here.
import { activationRules } from "./activation.js";
import { attentionRules } from "./attention.js";
import { convRules } from "./conv.js";
import { dropoutRules } from "./dropout.js";
import { embeddingRules } from "./embedding.js";
import { linearRules } from "./linear.js";
import { normRules } from "./norm.js";
import { paddingRules } from "./padding.js";
import { poolingRules } from "./pooling.js";
import { quantizationRules } from "./quantization.js";
import { recurrentRules } from "./recurrent.js";
import { reshapeRules } from "./reshape.js";
import type { LayerRule } from "./rule.js";
import { transformerRules } from "./transformer.js";
import { upsampleRules } from "./upsample.js";

export const layerFamilies: Readonly<Record<string, readonly LayerRule[]>> = {
  activation: activationRules,
  conv: convRules,
  linear: linearRules,
  recurrent: recurrentRules,
  attention: attentionRules,
  transformer: transformerRules,
  pooling: poolingRules,
  norm: normRules,
  dropout: dropoutRules,
  embedding: embeddingRules,
  reshape: reshapeRules,
  upsample: upsampleRules,
  padding: paddingRules,
  quantization: quantizationRules,
};

export const layerRules: ReadonlyMap<string, LayerRule> = new Map(Object.values(layerFamilies).flatMap((rules) => rules.map((r) => [r.type, r] as const)));
