// Op rules as callables: torch.X, F.X and bound Tensor methods.
import { bindArguments } from "../eval/binding.js";
import { unknownResultOf } from "../eval/unknowns.js";
import { native, type NativeFunctionValue, type Value } from "../eval/values.js";
import { foldConstantValues } from "../layers/ops/constantValues.js";
import { opRules } from "../layers/ops/index.js";
import { Args, type OpRule } from "../layers/rule.js";
import { parseSignature } from "../layers/signature.js";
import type { Tensor } from "../shapes/tensor.js";
import { withInheritedOrigin } from "../shapes/origin.js";
import { observeOp } from "./opObserver.js";
import { makeRuleContext } from "./ruleContext.js";
import { observedOp } from "./opCallObserver.js";
import type { TorchApi } from "./torchApi.js";

export function opCallable(qualifiedName: string, rule: OpRule, boundSelf?: Tensor, api?: TorchApi): NativeFunctionValue {
  return native(qualifiedName, (call) => {
    const args = boundSelf ? [boundSelf, ...call.args] : call.args;
    return observedOp(call.interp, qualifiedName, () => [...args, ...call.kwargs.values()], call.site, () => {
      const sig = parseSignature(rule.signature);
      api?.rejectNewerArguments(qualifiedName, sig, rule.paramsSince, args, call.kwargs);
      const bound = bindArguments(qualifiedName, sig.params, sig.defaults, args, call.kwargs);
      const result = rule.apply(new Args(bound, qualifiedName), makeRuleContext(call.interp, call.site, undefined, boundSelf !== undefined));
      const withOrigin = withOriginOfInput(result, bound);
      observeOp(call.interp, qualifiedName, bound, result);
      // small tensors of known numbers keep their elements (sizes computed with tensor arithmetic)
      return foldConstantValues(qualifiedName, args, call.kwargs, withOrigin) ?? withOrigin;
    });
  });
}

/** An op's tensor result keeps the origin of its one tensor input (parameters aside): "after pool2" survives a relu. */
function withOriginOfInput(result: Value, bound: ReadonlyMap<string, Value>): Value {
  if (result.kind !== "tensor") return result;
  let input: Tensor | undefined;
  for (const v of bound.values()) {
    if (v.kind !== "tensor" || v.isParameter) continue;
    if (input) return result;
    input = v;
  }
  return input ? withInheritedOrigin(result, input) : result;
}

/** The op of that qualified name as a callable, or undefined when no rule models it. */
export function lookupOp(qualifiedName: string, boundSelf?: Tensor): NativeFunctionValue | undefined {
  const rule = opRules.get(qualifiedName);
  return rule ? opCallable(qualifiedName, rule, boundSelf) : undefined;
}

/**
 * A torch.X / F.X name as the modelled torch version has it: its rule, an
 * unmodelled op (a name torch has that no rule models), or undefined when that
 * version has no such name (F.scaled_dot_product_attention before 2.0).
 */
export function versionedOp(qualifiedName: string, api: TorchApi): NativeFunctionValue | undefined {
  const rule = opRules.get(qualifiedName);
  if (rule) return api.has(rule.since) ? opCallable(qualifiedName, rule, undefined, api) : undefined;
  return api.hasName(qualifiedName) ? unmodelledOp(qualifiedName) : undefined;
}

/** A call no rule models: an unknown result and a note naming it. */
export function unmodelledOp(qualifiedName: string): NativeFunctionValue {
  return native(qualifiedName, (call) => {
    call.interp.note(`${qualifiedName} is not modelled; its result is unknown`, call.site);
    return observedOp(call.interp, qualifiedName, () => [...call.args, ...call.kwargs.values()], call.site, () => unknownResultOf(call.args, `${qualifiedName} is not modelled`));
  });
}

/** The names of the op rules directly under a namespace ("torch.nn.functional" → relu, silu, ...). */
export function opNamesUnder(prefix: string): string[] {
  const names: string[] = [];
  for (const qualified of opRules.keys()) {
    const rest = qualified.startsWith(`${prefix}.`) ? qualified.slice(prefix.length + 1) : undefined;
    if (rest && !rest.includes(".")) names.push(rest);
  }
  return names;
}
