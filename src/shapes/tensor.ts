// An abstract tensor: a shape (or unknown) and a dtype, no data.
import type { Dim } from "./dim.js";

export type DType = "float32" | "float64" | "float16" | "bfloat16" | "int64" | "int32" | "int16" | "int8" | "uint8" | "bool" | "complex64";

export const dtypeAliases: Readonly<Record<string, DType>> = {
  float: "float32",
  float32: "float32",
  double: "float64",
  float64: "float64",
  half: "float16",
  float16: "float16",
  bfloat16: "bfloat16",
  long: "int64",
  int64: "int64",
  int: "int32",
  int32: "int32",
  short: "int16",
  int16: "int16",
  int8: "int8",
  uint8: "uint8",
  bool: "bool",
  complex64: "complex64",
  cfloat: "complex64",
};

/** PyTorch's legacy typed tensor classes (torch.FloatTensor, ...) and the dtype each holds. */
export const typedTensorClasses: Readonly<Record<string, DType>> = {
  FloatTensor: "float32",
  DoubleTensor: "float64",
  HalfTensor: "float16",
  BFloat16Tensor: "bfloat16",
  LongTensor: "int64",
  IntTensor: "int32",
  ShortTensor: "int16",
  CharTensor: "int8",
  ByteTensor: "uint8",
  BoolTensor: "bool",
};

export function isFloatingDType(d: DType): boolean {
  return d === "float32" || d === "float64" || d === "float16" || d === "bfloat16";
}

export function dtypeSize(d: DType): number {
  switch (d) {
    case "float64":
    case "int64":
    case "complex64":
      return 8;
    case "float32":
    case "int32":
      return 4;
    case "float16":
    case "bfloat16":
    case "int16":
      return 2;
    default:
      return 1;
  }
}

/**
 * Where a tensor came from, for messages ("x has 392 = 8 × 7 × 7 after pool2").
 * Cheap by design: a name, the factors of one merged dim, and at most one open fault.
 */
export interface TensorOrigin {
  /** the module whose output this is (its name in the model), kept through ops */
  readonly after?: string;
  /** one dim that a flatten/view merged from several: its axis and the merged sizes */
  readonly merged?: { readonly axis: number; readonly factors: readonly Dim[] };
  /** a fault already reported on this tensor that a later layer can confirm or add to */
  readonly suspect?: SuspectFault;
}

/**
 * A reported fault that travels with the tensor it produced: `view(-1, K)` assumed
 * K features per sample (a Linear of K in_features shares the assumption), and may
 * have folded samples of the batch together (a later op that meets the true batch
 * proves it).
 */
export interface SuspectFault {
  /** the K the view assumed, on the last axis */
  readonly assumedFeatures: Dim;
  /** the sizes one sample really has (8, 7, 7): what a layer sharing the assumption should take */
  readonly perSample: readonly Dim[];
  /** when the view folded the batch: the true batch size, and the rows it made instead */
  readonly folded?: { readonly batch: Dim; readonly rows: Dim };
  readonly handle: FaultHandle;
}

/** What later rules may do to a reported fault. */
export interface FaultHandle {
  /** add a related location (a layer that shares the assumption, the op that proves it) */
  relate(message: string, where: { readonly file: string; readonly span: { readonly line: number; readonly col: number; readonly endLine: number; readonly endCol: number } }): void;
  /** append a clause to the message ("fc1 = nn.Linear(8 * 8 * 8, 32) shares the assumption") */
  addClause(clause: string): void;
  /** append to the suggested fix */
  addFix(fix: string): void;
  /** a later layer proves the fault: raise its severity to error, with a clause saying how */
  confirm(clause: string): void;
}

export interface Tensor {
  readonly kind: "tensor";
  /** undefined: the shape is not known (an unmodelled op produced it) */
  readonly shape: readonly Dim[] | undefined;
  readonly dtype: DType;
  /** a parameter of a module (nn.Parameter) */
  readonly isParameter: boolean;
  /** mutable: `p.requires_grad = False` freezes a parameter in place */
  requiresGrad: boolean;
  readonly origin?: TensorOrigin;
  /** why the shape is unknown */
  readonly unknownReason?: string;
  /** a model input whose rank is not known yet: the first layer to receive it says what it wants */
  readonly placeholder?: boolean;
  /** the dtype was not stated (a shape annotation without one): float32 stands in, and no diagnostic rests on it */
  readonly dtypeAssumed?: boolean;
}

export function makeTensor(shape: readonly Dim[] | undefined, dtype: DType = "float32", extra: Partial<Omit<Tensor, "kind" | "shape" | "dtype">> = {}): Tensor {
  return { kind: "tensor", shape, dtype, isParameter: false, requiresGrad: false, ...extra };
}

export function unknownTensor(reason: string, dtype: DType = "float32"): Tensor {
  return makeTensor(undefined, dtype, { unknownReason: reason });
}

export function makeParameter(shape: readonly Dim[], requiresGrad = true, dtype: DType = "float32"): Tensor {
  return makeTensor(shape, dtype, { isParameter: true, requiresGrad });
}
