// Binding call arguments to parameters, Python's rules: positional, keyword,
// defaults, *args, **kwargs, keyword-only. Shared by user functions and by the
// torch rules, whose signatures are written as Python parameter lists.
import type { Parameter } from "../parse/ast.js";
import { PyException } from "./errors.js";
import { forceValue, makeDict, str, tuple, type Value } from "./values.js";

export function bindArguments(
  name: string,
  params: readonly Parameter[],
  defaults: ReadonlyMap<string, Value>,
  args: readonly Value[],
  kwargs: ReadonlyMap<string, Value>,
): Map<string, Value> {
  const bound = new Map<string, Value>();
  const positional = params.filter((p) => p.kind === "normal" || p.kind === "posonly");
  const varargs = params.find((p) => p.kind === "varargs");
  const varkw = params.find((p) => p.kind === "varkw");

  let i = 0;
  for (; i < args.length && i < positional.length; i++) bound.set(positional[i].name, args[i]);
  if (i < args.length) {
    if (!varargs) throw new PyException("TypeError", `${name}() takes ${positional.length} positional arguments but ${args.length} were given`);
    bound.set(varargs.name, tuple(args.slice(i).map(forceValue)));
  } else if (varargs) bound.set(varargs.name, tuple([]));

  const extra: [Value, Value][] = [];
  for (const [key, value] of kwargs) {
    const p = params.find((q) => q.name === key && q.kind !== "posonly" && q.kind !== "varargs" && q.kind !== "varkw");
    if (p) {
      if (bound.has(key)) throw new PyException("TypeError", `${name}() got multiple values for argument '${key}'`);
      bound.set(key, value);
    } else if (varkw) extra.push([str(key), forceValue(value)]);
    else throw new PyException("TypeError", `${name}() got an unexpected keyword argument '${key}'`);
  }
  if (varkw) bound.set(varkw.name, makeDict(extra));

  for (const p of params) {
    if (bound.has(p.name)) continue;
    const d = defaults.get(p.name);
    if (d === undefined) throw new PyException("TypeError", `${name}() missing required argument: '${p.name}'`);
    bound.set(p.name, d);
  }
  return bound;
}
