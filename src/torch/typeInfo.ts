// torch.finfo and torch.iinfo: the numeric limits of a dtype, as PyTorch 1.13
// reports them. Masking code adds finfo(dtype).min to the scores it hides.
import { makeClass, type BuiltinTypes } from "../eval/builtins.js";
import { PyException } from "../eval/errors.js";
import { float, int, makeObject, native, str, unknown, type ClassValue, type Value } from "../eval/values.js";
import type { DType } from "../shapes/tensor.js";

interface FloatInfo { readonly bits: number; readonly eps: number; readonly max: number; readonly tiny: number; readonly resolution: number }

const floatInfo: Partial<Record<DType, FloatInfo>> = {
  float32: { bits: 32, eps: 1.1920928955078125e-7, max: 3.4028234663852886e38, tiny: 1.1754943508222875e-38, resolution: 1e-6 },
  float64: { bits: 64, eps: 2.220446049250313e-16, max: 1.7976931348623157e308, tiny: 2.2250738585072014e-308, resolution: 1e-15 },
  float16: { bits: 16, eps: 0.0009765625, max: 65504, tiny: 6.103515625e-5, resolution: 0.001 },
  bfloat16: { bits: 16, eps: 0.0078125, max: 3.3895313892515355e38, tiny: 1.1754943508222875e-38, resolution: 0.01 },
};

/** Integer limits a double holds exactly; int64's do not fit, so they are unknown rather than rounded. */
const intInfo: Partial<Record<DType, { bits: number; min?: number; max?: number }>> = {
  uint8: { bits: 8, min: 0, max: 255 },
  int8: { bits: 8, min: -128, max: 127 },
  int16: { bits: 16, min: -32768, max: 32767 },
  int32: { bits: 32, min: -2147483648, max: 2147483647 },
  int64: { bits: 64 },
};

function dtypeArgument(v: Value | undefined, fallback: DType): DType {
  if (v === undefined) return fallback;
  if (v.kind === "dtype") return v.dtype;
  if (v.kind === "tensor") return v.dtype;
  throw new PyException("TypeError", "finfo()/iinfo() takes a torch.dtype");
}

export function typeInfoFunctions(types: BuiltinTypes): { finfo: Value; iinfo: Value } {
  const finfoClass: ClassValue = makeClass("finfo", [types.object], {}, undefined, "torch");
  const iinfoClass: ClassValue = makeClass("iinfo", [types.object], {}, undefined, "torch");
  const finfo = native("torch.finfo", (call) => {
    const dtype = dtypeArgument(call.args[0] ?? call.kwargs.get("type"), "float32");
    const info = floatInfo[dtype];
    if (!info) throw new PyException("TypeError", `torch.finfo() requires a floating point input type, not torch.${dtype}`);
    const o = makeObject(finfoClass);
    for (const [k, v] of Object.entries({ eps: info.eps, max: info.max, min: -info.max, tiny: info.tiny, smallest_normal: info.tiny, resolution: info.resolution })) o.attrs.set(k, float(v));
    o.attrs.set("bits", int(info.bits));
    o.attrs.set("dtype", str(dtype));
    return o;
  });
  const iinfo = native("torch.iinfo", (call) => {
    const dtype = dtypeArgument(call.args[0] ?? call.kwargs.get("type"), "int64");
    const info = intInfo[dtype];
    if (!info) throw new PyException("TypeError", `torch.iinfo() requires an integer input type, not torch.${dtype}`);
    const o = makeObject(iinfoClass);
    o.attrs.set("bits", int(info.bits));
    o.attrs.set("min", info.min !== undefined ? int(info.min) : unknown(`torch.iinfo(torch.${dtype}).min does not fit a double exactly`));
    o.attrs.set("max", info.max !== undefined ? int(info.max) : unknown(`torch.iinfo(torch.${dtype}).max does not fit a double exactly`));
    o.attrs.set("dtype", str(dtype));
    return o;
  });
  return { finfo, iinfo };
}
