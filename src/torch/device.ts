// torch.device: code reads `x.device.type` (torchvision picks its CPU paths
// that way) and passes devices on. Every analysis runs "on the CPU", so a
// tensor's device is the one cpu device, and `torch.device("cpu")` is it too
// (equal by identity, as `==` of two equal devices is in PyTorch).
import { makeClass } from "../eval/builtins.js";
import { int, makeObject, native, NONE, str, type ClassValue, type NativeCall, type ObjectValue, type Value } from "../eval/values.js";
import { pyStr } from "../eval/operators.js";

/** str(device) is "cpu" or "cuda:1"; repr(device) is device(type='cpu') */
function spec(call: NativeCall): { type: string; index: string | undefined } {
  const d = call.args[0];
  const type = d?.kind === "object" ? d.attrs.get("type") : undefined;
  const index = d?.kind === "object" ? d.attrs.get("index") : undefined;
  return { type: type ? pyStr(type) : "cpu", index: index?.kind === "int" ? String(index.value) : undefined };
}

export const deviceClass: ClassValue = makeClass(
  "device",
  [],
  {
    __str__: native("device.__str__", (call) => {
      const { type, index } = spec(call);
      return str(index === undefined ? type : `${type}:${index}`);
    }),
    __repr__: native("device.__repr__", (call) => {
      const { type, index } = spec(call);
      return str(index === undefined ? `device(type='${type}')` : `device(type='${type}', index=${index})`);
    }),
  },
  { construct: (_cls, call) => deviceOf(call.args[0] ? pyStr(call.args[0]) : "cpu", call.args[1]) },
  "torch",
);

const devices = new Map<string, ObjectValue>();

/** The device `torch.device(spec[, index])` names: "cpu", "cuda", "cuda:0". */
export function deviceOf(spec: string, index?: Value): ObjectValue {
  const [type, fromSpec] = spec.split(":");
  const i = fromSpec !== undefined ? int(Number(fromSpec)) : index && index.kind === "int" ? index : NONE;
  const key = `${type}:${i.kind === "int" ? i.value : ""}`;
  let device = devices.get(key);
  if (!device) {
    device = makeObject(deviceClass);
    device.attrs.set("type", str(type));
    device.attrs.set("index", i);
    devices.set(key, device);
  }
  return device;
}

export const cpuDevice = (): ObjectValue => deviceOf("cpu");
