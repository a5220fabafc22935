// The registry of op rules: torch.* functions, torch.nn.functional and Tensor
// methods, one family per file in this folder. An op is found by its qualified
// name ("torch.flatten", "Tensor.view", "torch.nn.functional.relu"). Python
// operators on tensors are Tensor dunder methods ("Tensor.__add__",
// "Tensor.__radd__", "Tensor.__getitem__", "Tensor.__setitem__", "Tensor.__neg__",
// "Tensor.__eq__", "Tensor.__matmul__", ...).
import type { OpRule } from "../rule.js";
import { creationOps } from "./creation.js";
import { elementwiseOps } from "./elementwise.js";
import { functionalOps } from "./functional.js";
import { indexingOps } from "./indexing.js";
import { joinOps } from "./join.js";
import { matmulOps } from "./matmul.js";
import { reductionOps } from "./reduction.js";
import { reshapeOps } from "./reshape.js";
import { visionOps } from "./vision.js";

export const opFamilies: Readonly<Record<string, readonly OpRule[]>> = {
  creation: creationOps,
  elementwise: elementwiseOps,
  functional: functionalOps,
  indexing: indexingOps,
  join: joinOps,
  matmul: matmulOps,
  reduction: reductionOps,
  reshape: reshapeOps,
  vision: visionOps,
};

export const opRules: ReadonlyMap<string, OpRule> = new Map(Object.values(opFamilies).flatMap((rules) => rules.flatMap((r) => r.names.map((n) => [n, r] as const))));
