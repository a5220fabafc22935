// A native method's required arguments. Called without one, Python raises a TypeError
// naming it; a native that read the missing argument would read undefined instead and
// crash the analysis (nn.Sequential()() or self.cnn() with no input).
import { PyException } from "./errors.js";
import type { NativeCall, Value } from "./values.js";

/**
 * `fn` run only when the positional arguments after self named in `required` are
 * there (a keyword of that name takes its place); otherwise Python's TypeError.
 */
export function withRequiredArguments(qualifiedName: string, required: readonly string[], fn: (call: NativeCall) => Value): (call: NativeCall) => Value {
  if (required.length === 0) return fn;
  return (call) => {
    let args = call.args;
    required.forEach((name, i) => {
      if (args.length > i + 1) return;
      const byKeyword = call.kwargs.get(name);
      if (byKeyword === undefined) throw new PyException("TypeError", `${qualifiedName}() missing required argument: '${name}'`);
      args = [...args, byKeyword];
    });
    return fn(args === call.args ? call : { ...call, args });
  };
}
