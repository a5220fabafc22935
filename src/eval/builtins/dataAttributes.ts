// The data attributes of builtin values: range and slice's start/stop/step, the numbers' real/imag/numerator/denominator.
import { float, int, type Value } from "../values.js";

export function builtinDataAttribute(obj: Value, name: string): Value | undefined {
  switch (obj.kind) {
    case "range":
      return name === "start" || name === "stop" || name === "step" ? int(obj[name]) : undefined;
    case "slice":
      return name === "start" ? obj.lower : name === "stop" ? obj.upper : name === "step" ? obj.step : undefined;
    case "int":
    case "bool": {
      const n = obj.kind === "bool" ? int(Number(obj.value)) : obj;
      return name === "real" || name === "numerator" ? n : name === "imag" ? int(0) : name === "denominator" ? int(1) : undefined;
    }
    case "float":
      return name === "real" ? obj : name === "imag" ? float(0) : undefined;
    default:
      return undefined;
  }
}
