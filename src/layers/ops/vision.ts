// torch.ops.torchvision: the compiled box operators that torchvision registers
// with torch (torchvision's Python code, read from source, calls these). nms
// keeps a number of boxes that depends on their values: a data-dependent size.
// The RoI poolings give one pooled map per box row of `rois` ([K, 5]: batch
// index, x1, y1, x2, y2).
import { tuple, type Value } from "../../eval/values.js";
import { dimDivExact, SymDim } from "../../shapes/dim.js";
import { makeTensor, unknownTensor, type Tensor } from "../../shapes/tensor.js";
import type { Args, OpRule } from "../rule.js";
import { isKnown, unknownFrom, type KnownTensor, opRule as rule } from "./support.js";

const ns = "torch.ops.torchvision";

function tensorArg(args: Args, name: string): Tensor | undefined {
  const v = args.value(name);
  return v.kind === "tensor" ? v : undefined;
}

/** The feature map [N, C, H, W] and the boxes [K, 5], or why not. */
function roiOperands(args: Args, owner: string): { input: KnownTensor; rois: KnownTensor } | Tensor {
  const input = tensorArg(args, "input");
  const rois = tensorArg(args, "rois");
  if (!input || !isKnown(input)) return unknownFrom(input, owner);
  if (!rois || !isKnown(rois)) return unknownFrom(rois, owner, input.dtype);
  if (input.shape.length !== 4 || rois.shape.length !== 2) return unknownTensor(`${owner} expects a 4-D input and [K, 5] rois`, input.dtype);
  return { input, rois };
}

/** [K, C, pooled_height, pooled_width], plus an int64 map of the same shape when the op returns one. */
function pooled(owner: string, withIndices: boolean, channelsPerBin: boolean) {
  return (args: Args): Value => {
    const operands = roiOperands(args, owner);
    if ("kind" in operands) return withIndices ? tuple([operands, unknownTensor(operands.unknownReason ?? owner, "int64")]) : operands;
    const { input, rois } = operands;
    const ph = args.dim("pooled_height");
    const pw = args.dim("pooled_width");
    // position-sensitive pooling spreads the channels over the bins
    const channels = channelsPerBin ? dimDivExact(input.shape[1], typeof ph === "number" && typeof pw === "number" ? ph * pw : 0) : input.shape[1];
    if (channels === undefined) return unknownTensor(`${owner}: ${input.shape[1]} channels do not divide into ${ph} × ${pw} bins`, input.dtype);
    const shape = [rois.shape[0], channels, ph, pw];
    const out = makeTensor(shape, input.dtype);
    return withIndices ? tuple([out, makeTensor(shape, "int64")]) : out;
  };
}

export const visionOps: readonly OpRule[] = [
  rule([`${ns}.nms`], "dets, scores, iou_threshold", (args) => {
    const boxes = tensorArg(args, "dets");
    if (!boxes || !isKnown(boxes)) return unknownFrom(boxes, "nms", "int64");
    return makeTensor([SymDim.dataDependent("nms")], "int64");
  }),
  rule([`${ns}.roi_align`], "input, rois, spatial_scale, pooled_height, pooled_width, sampling_ratio, aligned", pooled("roi_align", false, false)),
  rule([`${ns}.roi_pool`], "input, rois, spatial_scale, pooled_height, pooled_width", pooled("roi_pool", true, false)),
  rule([`${ns}.ps_roi_align`], "input, rois, spatial_scale, pooled_height, pooled_width, sampling_ratio", pooled("ps_roi_align", true, true)),
  rule([`${ns}.ps_roi_pool`], "input, rois, spatial_scale, pooled_height, pooled_width", pooled("ps_roi_pool", true, true)),
];
