// The float (unquantized) behaviour of torch's eager-mode quantization modules:
// QuantStub and DeQuantStub are identities until a model is converted, and
// FloatFunctional does its op (add, cat, ...) and passes the result through its
// `activation_post_process` child, an nn.Identity until observers are inserted,
// which forward hooks see as a call of its own.
import { withRequiredArguments } from "../eval/nativeArguments.js";
import { PyException } from "../eval/errors.js";
import type { Interpreter } from "../eval/interpreter.js";
import { int, type NativeCall, type Value } from "../eval/values.js";
import type { Layer, LayerRule } from "./rule.js";

/** Where these classes live in torch (torch.quantization and torch.nn.quantized are 1.13's aliases). */
export const quantizationNamespaces = {
  stubs: ["torch.ao.quantization", "torch.quantization"],
  functional: ["torch.ao.nn.quantized", "torch.nn.quantized"],
} as const;

function torchOp(interp: Interpreter, namespace: string, name: string): Value {
  const op = interp.imports.importModule(namespace, 0, interp.builtins, interp)?.get(name);
  if (!op) throw new Error(`${namespace}.${name} is not available to the quantization rules`);
  return op;
}

/** `r = op(...); r = self.activation_post_process(r)`, as FloatFunctional's observed methods do. */
function observed(steps: (interp: Interpreter, call: NativeCall) => Value): (layer: Layer, call: NativeCall) => Value {
  return (layer, call) => {
    const r = steps(call.interp, call);
    return call.interp.callValue(layer.attr("activation_post_process"), [r], new Map(), call.site);
  };
}

/** A FloatFunctional method that needs its operands: without one, Python's TypeError naming it. */
function needs(method: string, operands: readonly string[], fn: (layer: Layer, call: NativeCall) => Value): (layer: Layer, call: NativeCall) => Value {
  return (layer, call) => withRequiredArguments(`FloatFunctional.${method}`, operands, (c) => fn(layer, c))(call);
}

const stub = (type: string): LayerRule => ({
  type,
  signature: "qconfig=None",
  namespaces: quantizationNamespaces.stubs,
  build: () => undefined,
  forward: (_layer, args) => args.value("input"),
});

export const quantizationRules: readonly LayerRule[] = [
  stub("QuantStub"),
  stub("DeQuantStub"),
  {
    type: "FloatFunctional",
    signature: "",
    namespaces: quantizationNamespaces.functional,
    build: (_args, b) => {
      b.child("activation_post_process", "Identity", {});
    },
    forward: () => {
      throw new PyException("RuntimeError", "FloatFunctional is not intended to use the 'forward'. Please use the underlying operation");
    },
    methods: {
      add: needs("add", ["x", "y"], observed((interp, call) => interp.callValue(torchOp(interp, "torch", "add"), [call.args[1], call.args[2]], new Map(), call.site))),
      mul: needs("mul", ["x", "y"], observed((interp, call) => interp.callValue(torchOp(interp, "torch", "mul"), [call.args[1], call.args[2]], new Map(), call.site))),
      cat: needs("cat", ["x"], observed((interp, call) =>
        interp.callValue(torchOp(interp, "torch", "cat"), [call.args[1]], new Map([["dim", call.args[2] ?? call.kwargs.get("dim") ?? int(0)]]), call.site),
      )),
      add_relu: needs("add_relu", ["x", "y"], observed((interp, call) => {
        const sum = interp.callValue(torchOp(interp, "torch", "add"), [call.args[1], call.args[2]], new Map(), call.site);
        return interp.callValue(torchOp(interp, "torch.nn.functional", "relu"), [sum], new Map(), call.site);
      })),
      // the scalar forms are not observed
      add_scalar: needs("add_scalar", ["x", "y"], (_layer, call) => call.interp.callValue(torchOp(call.interp, "torch", "add"), [call.args[1], call.args[2]], new Map(), call.site)),
      mul_scalar: needs("mul_scalar", ["x", "y"], (_layer, call) => call.interp.callValue(torchOp(call.interp, "torch", "mul"), [call.args[1], call.args[2]], new Map(), call.site)),
    },
  },
];
