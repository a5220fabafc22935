// torchinfo's compute and memory figures (its ModelStatistics), from the calls the
// analysis recorded: the same definitions, quirks included, so a user sees the numbers
// torchinfo would print (torchinfo 1.8, layer_info.py and model_statistics.py).
import type { LeafCall, ModelSummary } from "../analysis/summary.js";
import { dimAdd, dimMul, dimProduct, type Dim } from "../shapes/dim.js";
import { dtypeSize } from "../shapes/tensor.js";

/** A count: a number, a polynomial in the symbolic dimensions, or undefined when not known. */
export type Count = Dim | undefined;

export interface TorchinfoFigures {
  /** "Total mult-adds": over the leaf calls */
  readonly multAdds: Count;
  /** "Input size": sys.getsizeof of each input's storage */
  readonly inputBytes: Count;
  /** "Forward/backward pass size": 2 × the output bytes of every leaf call of a module with parameters */
  readonly forwardBackwardBytes: Count;
  /** "Params size": bytes of all parameters, each tensor once */
  readonly paramsBytes: Count;
  /** "Estimated Total Size": the three sums */
  readonly estimatedTotalBytes: Count;
}

/**
 * torchinfo measures the input with sys.getsizeof(tensor.storage()): the storage's
 * bytes plus the size of its Python object, 56 bytes for torch 1.13's TypedStorage on
 * CPython 3.11 (measured; another Python or torch may differ by a few bytes).
 */
export const STORAGE_OBJECT_BYTES = 56;

export function countSum(a: Count, b: Count): Count {
  return a === undefined || b === undefined ? undefined : dimAdd(a, b);
}

export function countProduct(a: Count, b: Count): Count {
  return a === undefined || b === undefined ? undefined : dimMul(a, b);
}

/**
 * LayerInfo.calculate_macs: for each parameter (masked "_orig" parameters of pruning
 * are not modelled), by the class name and the parameter's name:
 *   weight/bias of a class named *Conv*  → count × prod(output without axis 1)
 *   weight/bias of a class named *Linear* → count × prod(output without its last axis)
 *   weight/bias of any other class       → count × output[0]
 *   other names containing weight/bias (RNN weight_ih_l0, in_proj_weight) → count × output[0] × output[1]
 *   any other parameter (cls_token, gamma) → nothing
 */
export function leafMultAdds(call: LeafCall): Count {
  if (call.output === "unknown") return undefined;
  const size = call.output?.shape ?? [];
  let total: Count = 0;
  for (const p of call.params) {
    const name = p.name;
    let factor: Count;
    if (name === "weight" || name === "bias") {
      if (call.type.includes("Conv")) factor = dimProduct([...size.slice(0, 1), ...size.slice(2)]);
      else if (call.type.includes("Linear")) factor = dimProduct(size.slice(0, -1));
      else factor = size[0];
    } else if (name.includes("weight") || name.includes("bias")) factor = dimProduct(size.slice(0, 2));
    else continue;
    total = countSum(total, countProduct(p.count, factor));
  }
  return total;
}

/** The output bytes a forward hook records for a call: element size × elements of the hooked output. */
export function leafOutputBytes(call: LeafCall): Count {
  if (call.output === "unknown") return undefined;
  if (call.output === null) return 0;
  return dimMul(dtypeSize(call.output.dtype), dimProduct(call.output.shape));
}

/** A leaf with parameters: torchinfo counts its output twice (activations and their gradients). */
function hasParams(call: LeafCall): boolean {
  return call.params.some((p) => p.count !== 0);
}

export function torchinfoFigures(model: ModelSummary): TorchinfoFigures {
  let multAdds: Count = 0;
  let forwardBackwardBytes: Count = 0;
  for (const call of model.leafCalls) {
    multAdds = countSum(multAdds, leafMultAdds(call));
    if (hasParams(call)) forwardBackwardBytes = countSum(forwardBackwardBytes, countProduct(2, leafOutputBytes(call)));
  }
  let inputBytes: Count = 0;
  // a list input (a detection model's images) is each of its tensors
  for (const input of model.inputs.flatMap((i) => i.items ?? [i]))
    inputBytes = input.unknown ? undefined : countSum(inputBytes, dimAdd(STORAGE_OBJECT_BYTES, dimMul(dtypeSize(input.dtype), dimProduct(input.shape))));
  const paramsBytes = model.paramBytes;
  return { multAdds, inputBytes, forwardBackwardBytes, paramsBytes, estimatedTotalBytes: countSum(countSum(inputBytes, forwardBackwardBytes), paramsBytes) };
}

/** Each row's mult-adds: its own leaf call's, or, for a built-in layer with children, those of the leaf calls inside it. */
export function rowMultAdds(model: ModelSummary): Count[] {
  const perRow: Count[] = model.layers.map(() => 0);
  for (const call of model.leafCalls) if (call.row !== undefined) perRow[call.row] = countSum(perRow[call.row], leafMultAdds(call));
  return perRow;
}
