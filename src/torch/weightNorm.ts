// torch.nn.utils.weight_norm: the weight is split into a magnitude `weight_g` and a
// direction `weight_v`, both parameters, and `weight` becomes a plain tensor
// recomputed from them; the parameter count grows by the magnitude's size.
import { PyException } from "../eval/errors.js";
import { numericValue, pyStr } from "../eval/operators.js";
import { native, NONE, type Value } from "../eval/values.js";
import { makeParameter, makeTensor } from "../shapes/tensor.js";

export const weightNorm: Value = native("torch.nn.utils.weight_norm", (call) => {
  const module = call.args[0] ?? call.kwargs.get("module");
  const nameArg = call.args[1] ?? call.kwargs.get("name");
  const dimArg = call.args[2] ?? call.kwargs.get("dim");
  if (module?.kind !== "object" || !module.module) throw new PyException("TypeError", "weight_norm() expects an nn.Module");
  const name = nameArg && nameArg.kind !== "none" ? pyStr(nameArg) : "weight";
  const weight = module.module.params.get(name);
  if (!weight || weight.kind !== "tensor") throw new PyException("AttributeError", `'${module.cls.name}' object has no parameter '${name}'`);
  if (!weight.shape) return module;
  const rank = weight.shape.length;
  // dim=None (or -1) normalises over the whole tensor: the magnitude is a scalar
  const given = dimArg === undefined ? 0 : dimArg.kind === "none" ? -1 : numericValue(dimArg);
  if (typeof given !== "number") throw new PyException("TypeError", "weight_norm() dim must be an integer or None");
  const gShape = given === -1 ? [] : weight.shape.map((d, i) => (i === (given < 0 ? given + rank : given) ? d : 1));
  module.module.params.delete(name);
  module.module.params.set(`${name}_g`, makeParameter(gShape, weight.requiresGrad ?? true, weight.dtype));
  module.module.params.set(`${name}_v`, makeParameter(weight.shape, weight.requiresGrad ?? true, weight.dtype));
  module.attrs.set(name, makeTensor(weight.shape, weight.dtype));
  return module;
});

/** remove_weight_norm: the weight is one parameter again. */
export const removeWeightNorm: Value = native("torch.nn.utils.remove_weight_norm", (call) => {
  const module = call.args[0];
  const nameArg = call.args[1] ?? call.kwargs.get("name");
  if (module?.kind !== "object" || !module.module) return module ?? NONE;
  const name = nameArg && nameArg.kind !== "none" ? pyStr(nameArg) : "weight";
  const v = module.module.params.get(`${name}_v`);
  if (!v || v.kind !== "tensor") throw new PyException("ValueError", `weight_norm of '${name}' not found in ${module.cls.name}`);
  module.module.params.delete(`${name}_g`);
  module.module.params.delete(`${name}_v`);
  module.attrs.delete(name);
  module.module.params.set(name, makeParameter(v.shape ?? [], v.requiresGrad ?? true, v.dtype));
  return module;
});
