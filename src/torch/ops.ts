// Op rules as callables: torch.X, F.X and bound Tensor methods.
import { bindArguments } from "../eval/binding.js";
import { unknownResultOf } from "../eval/interpreter.js";
import { native, type NativeFunctionValue, type Value } from "../eval/values.js";
import { opRules } from "../layers/ops/index.js";
import { Args, type OpRule } from "../layers/rule.js";
import { parseSignature } from "../layers/signature.js";
import type { Tensor } from "../shapes/tensor.js";
import { makeRuleContext } from "./ruleContext.js";

export function opCallable(qualifiedName: string, rule: OpRule, boundSelf?: Tensor): NativeFunctionValue {
  return native(qualifiedName, (call) => {
    const sig = parseSignature(rule.signature);
    const args = boundSelf ? [boundSelf, ...call.args] : call.args;
    const bound = bindArguments(qualifiedName, sig.params, sig.defaults, args, call.kwargs);
    return rule.apply(new Args(bound, qualifiedName), makeRuleContext(call.interp, call.site));
  });
}

/** The op of that qualified name as a callable, or undefined when no rule models it. */
export function lookupOp(qualifiedName: string, boundSelf?: Tensor): NativeFunctionValue | undefined {
  const rule = opRules.get(qualifiedName);
  return rule ? opCallable(qualifiedName, rule, boundSelf) : undefined;
}

/** A call no rule models: an unknown result and a note naming it. */
export function unmodelledOp(qualifiedName: string): NativeFunctionValue {
  return native(qualifiedName, (call) => {
    call.interp.note(`${qualifiedName} is not modelled; its result is unknown`, call.site);
    return unknownResultOf(call.args, `${qualifiedName} is not modelled`);
  });
}

/** Apply an op by name to given arguments (operators on tensors). */
export function applyOp(qualifiedName: string, args: readonly Value[], interp: import("../eval/interpreter.js").Interpreter): Value | undefined {
  const op = lookupOp(qualifiedName);
  return op ? interp.callValue(op, args) : undefined;
}
