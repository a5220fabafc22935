// Items and iteration: subscripts (get and set), iterating any value, the
// entries of a mapping, and truthiness, for builtin values, tensors and
// objects with the matching dunder methods.
import { metaclassAttribute } from "./attributes.js";
import { PyException } from "./errors.js";
import { maxSequenceLength, SequenceTooLong } from "./sizeLimits.js";
import type { Interpreter } from "./interpreter.js";
import { typeName } from "./naming.js";
import { keyError } from "./builtins/exceptions.js";
import { numericValue, rangeLength, truthOfPrimitive } from "./operators.js";
import { assignSlice, deleteSlice, normalizeIndex, sliceBounds, sliceItems } from "./slicing.js";
import { hashKey, int, list, str, tuple, unknown, type SourceLocation, type Value } from "./values.js";

export function getItem(interp: Interpreter, obj: Value, index: Value, site?: SourceLocation): Value {
  switch (obj.kind) {
    case "list":
    case "tuple": {
      if (index.kind === "slice") {
        const items = sliceItems(obj.items, index);
        if (!items) return unknown("slice with symbolic bounds");
        return obj.kind === "list" ? list(items) : tuple(items);
      }
      const i = numericValue(index);
      if (typeof i !== "number") return index.kind === "unknown" || i !== undefined ? unknown("index not known") : thrower("TypeError", `${obj.kind} indices must be integers`);
      const n = normalizeIndex(i, obj.items.length);
      if (n < 0 || n >= obj.items.length) throw new PyException("IndexError", `${obj.kind} index out of range`, undefined, site);
      return obj.items[n];
    }
    case "str": {
      if (index.kind === "slice") {
        const chars = sliceItems([...obj.value].map(str), index);
        return chars ? str(chars.map((c) => (c as { value: string }).value).join("")) : unknown("slice");
      }
      const i = numericValue(index);
      if (typeof i !== "number") return unknown("index not known");
      return str(obj.value[normalizeIndex(i, obj.value.length)] ?? "");
    }
    case "dict": {
      const e = obj.entries.get(hashKey(index));
      if (!e) {
        if (index.kind === "unknown") return unknown("key not known");
        // defaultdict: the factory's value is stored under the missing key
        if (obj.defaultFactory && obj.defaultFactory.kind !== "none") {
          const made = interp.callValue(obj.defaultFactory, []);
          obj.entries.set(hashKey(index), { key: index, value: made });
          return made;
        }
        throw keyError(index, site);
      }
      return e.value;
    }
    case "range": {
      const len = rangeLength(obj.start, obj.stop, obj.step);
      if (index.kind === "slice") {
        // a range's slice is a range: its bounds are the sliced positions, its step the product
        const bound = (v: Value) => (v.kind === "none" ? undefined : numericValue(v));
        const [lower, upper, step] = [bound(index.lower), bound(index.upper), bound(index.step) ?? 1];
        if ([lower, upper, step].some((v) => v !== undefined && typeof v !== "number")) return unknown("range slice with symbolic bounds");
        if (step === 0) throw new PyException("ValueError", "slice step cannot be zero", undefined, site);
        const [from, to] = sliceBounds(len, lower as number | undefined, upper as number | undefined, step as number);
        return { kind: "range", start: obj.start + from * obj.step, stop: obj.start + to * obj.step, step: obj.step * (step as number) };
      }
      const i = numericValue(index);
      if (typeof i !== "number") return unknown("index not known");
      return int(obj.start + normalizeIndex(i, len) * obj.step);
    }
    case "tensor":
      return interp.atSite(site, () => interp.tensors.getItem(obj, index, interp));
    case "object": {
      const m = interp.lookupSpecial(obj, "__getitem__");
      if (m) return interp.callValue(m, [index]);
      break;
    }
    case "class": {
      // Enum["NAME"]: the metaclass's __getitem__
      const meta = obj.metaclass ? interp.lookupInMro(obj.metaclass, "__getitem__") : undefined;
      if (meta) return interp.callValue(metaclassAttribute(interp, meta.value, obj), [index]);
      const m = interp.lookupInMro(obj, "__class_getitem__");
      if (m) return interp.callValue(m.value, [obj, index]);
      // typing generics like List[int]: the subscript does not matter for analysis
      return obj;
    }
    case "unknown":
      return obj;
    case "native":
      return obj;
    default:
      break;
  }
  throw new PyException("TypeError", `'${typeName(obj)}' object is not subscriptable`, undefined, site);
}

/** del obj[key] */
export function deleteItem(interp: Interpreter, obj: Value, key: Value): void {
  if (obj.kind === "dict") obj.entries.delete(hashKey(key));
  else if (obj.kind === "list" && key.kind === "int" && typeof key.value === "number") obj.items.splice(normalizeIndex(key.value, obj.items.length), 1);
  else if (obj.kind === "list" && key.kind === "slice") deleteSlice(obj.items, key);
  else if (obj.kind === "object") {
    const del = interp.lookupSpecial(obj, "__delitem__");
    if (del) interp.callValue(del, [key]);
  }
}

export function setItem(interp: Interpreter, obj: Value, index: Value, value: Value): void {
  switch (obj.kind) {
    case "list": {
      if (index.kind === "slice") {
        assignSlice(obj.items, index, iterate(interp, value) ?? []);
        return;
      }
      const i = numericValue(index);
      if (typeof i !== "number") return;
      const at = normalizeIndex(i, obj.items.length);
      // a write past the end would leave holes in the list: Python refuses it
      if (at < 0 || at >= obj.items.length) throw new PyException("IndexError", "list assignment index out of range");
      obj.items[at] = value;
      return;
    }
    case "dict":
      obj.entries.set(hashKey(index), { key: index, value });
      return;
    case "tensor":
      interp.tensors.setItem(obj, index, value, interp);
      return;
    case "object": {
      const m = interp.lookupSpecial(obj, "__setitem__");
      if (m) {
        interp.callValue(m, [index, value]);
        return;
      }
      break;
    }
    case "unknown":
      return;
    default:
      break;
  }
  throw new PyException("TypeError", `'${typeName(obj)}' object does not support item assignment`);
}

/** All items of an iterable, or undefined when they cannot be known. */
export function iterate(interp: Interpreter, v: Value): Value[] | undefined {
  switch (v.kind) {
    case "list":
    case "tuple":
      return [...v.items];
    case "str":
      return [...v.value].map(str);
    case "set":
      return [...v.entries.values()];
    case "dict":
      return [...v.entries.values()].map((e) => e.key);
    case "range": {
      const out: Value[] = [];
      const n = rangeLength(v.start, v.stop, v.step);
      if (n > maxSequenceLength) {
        interp.cut(new SequenceTooLong("range", n).message);
        return undefined;
      }
      for (let i = 0; i < n; i++) out.push(int(v.start + i * v.step));
      return out;
    }
    case "iterator": {
      const rest = v.items.slice(v.position);
      v.position = v.items.length;
      return rest;
    }
    case "tensor":
      return interp.tensors.iterate(v, interp);
    case "object": {
      const it = interp.lookupSpecial(v, "__iter__");
      if (it) return iterate(interp, interp.callValue(it, []));
      const getitem = interp.lookupSpecial(v, "__getitem__");
      const len = interp.lookupSpecial(v, "__len__");
      if (getitem && len) {
        const n = numericValue(interp.callValue(len, []));
        if (typeof n !== "number") return undefined;
        const out: Value[] = [];
        for (let i = 0; i < n; i++) out.push(interp.callValue(getitem, [int(i)]));
        return out;
      }
      return undefined;
    }
    case "class": {
      // iterating an Enum class yields its members, aliases once
      const members = v.attrs.get("__members__");
      if (members?.kind === "dict") return [...new Set([...members.entries.values()].map((e) => e.value))];
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Python truthiness; undefined when it depends on data or unknown values. */
export function truthy(interp: Interpreter, v: Value): boolean | undefined {
  if (v.kind === "object") {
    const b = interp.lookupSpecial(v, "__bool__");
    if (b) return truthy(interp, interp.callValue(b, []));
    const len = interp.lookupSpecial(v, "__len__");
    if (len) return truthy(interp, interp.callValue(len, []));
    return true;
  }
  return truthOfPrimitive(v);
}

export function mappingEntries(interp: Interpreter, v: Value): [Value, Value][] {
  if (v.kind === "dict") return [...v.entries.values()].map((en) => [en.key, en.value]);
  if (v.kind === "object") {
    const keys = interp.lookupSpecial(v, "keys");
    if (keys) {
      const ks = iterate(interp, interp.callValue(keys, [])) ?? [];
      return ks.map((k) => [k, getItem(interp, v, k)]);
    }
  }
  return [];
}

function thrower(type: string, message: string): never {
  throw new PyException(type, message);
}
