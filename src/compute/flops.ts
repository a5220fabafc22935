// flops beyond torchinfo: every matrix product of the forward pass, counted by the
// rules as they run (2 per multiply-add, torch.utils.flop_counter's convention; the
// formula of each op sits beside its rule in src/layers).
import type { ModelSummary } from "../analysis/summary.js";
import { countSum, type Count } from "./torchinfo.js";

/** The model's flops: its rows' (calls inside them included) and those of the operations between rows. */
export function modelFlops(model: ModelSummary): Count {
  return model.layers.reduce<Count>((total, row) => countSum(total, row.flops), model.flopsOutsideRows);
}
