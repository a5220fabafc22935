// Attributes and descriptors: lookup along the MRO, binding of functions,
// static/class methods and properties, metaclass attributes, and getting and
// setting an attribute on any value.
import { builtinDataAttribute } from "./builtins/dataAttributes.js";
import { PyException } from "./errors.js";
import { subclassesOf } from "./subclasses.js";
import type { Interpreter } from "./interpreter.js";
import { typeName } from "./naming.js";
import { forceValue, hashKey, list, makeDict, native, NONE, str, tuple, unknown, type BoundMethodValue, type ClassValue, type DescriptorValue, type ObjectValue, type SourceLocation, type Value } from "./values.js";

export function lookupInMro(cls: ClassValue, name: string, start = 0): { value: Value; owner: ClassValue } | undefined {
  for (let i = start; i < cls.mro.length; i++) {
    const v = cls.mro[i].attrs.get(name);
    if (v !== undefined) return { value: v, owner: cls.mro[i] };
  }
  return undefined;
}

/** How a class attribute looks when reached through an instance (or class). */
export function bindDescriptor(interp: Interpreter, v: Value, self: Value, cls: ClassValue): Value {
  switch (v.kind) {
    case "function":
    case "native":
      return self.kind === "class" ? v : ({ kind: "boundmethod", self, func: v } as BoundMethodValue);
    case "staticmethod":
      return v.func;
    case "classmethod":
      return { kind: "boundmethod", self: cls, func: v.func };
    case "property":
      return self.kind === "class" ? v : interp.callValue(v.func, [self]);
    default:
      return v;
  }
}

/** An attribute a class gets from its metaclass: methods bind to the class itself. */
export function metaclassAttribute(interp: Interpreter, v: Value, cls: ClassValue): Value {
  if (v.kind === "function" || v.kind === "native") return { kind: "boundmethod", self: cls, func: v };
  if (v.kind === "property") return interp.callValue(v.func, [cls]);
  return bindDescriptor(interp, v, cls, cls);
}

/** A special method looked up on the type, bound to the object. */
export function lookupSpecial(interp: Interpreter, obj: ObjectValue, name: string): Value | undefined {
  const found = lookupInMro(obj.cls, name);
  return found ? bindDescriptor(interp, found.value, obj, obj.cls) : undefined;
}

export function getAttr(interp: Interpreter, obj: Value, name: string, site?: SourceLocation): Value {
  // type(x) for values that are not instances of a Python class
  if (name === "__class__" && obj.kind !== "object" && obj.kind !== "unknown" && obj.kind !== "namespace" && obj.kind !== "super") {
    const typeCls = interp.builtins.vars.get("type");
    if (typeCls) return interp.callValue(typeCls, [obj]);
  }
  switch (obj.kind) {
    case "object":
      return objectAttr(interp, obj, name);
    case "class": {
      if (name === "__name__") return str(obj.name);
      if (name === "__qualname__") return str(obj.qualname);
      if (name === "__mro__") return tuple(obj.mro);
      if (name === "__subclasses__" && !lookupInMro(obj, name)) return native(`${obj.name}.__subclasses__`, () => list([...subclassesOf(obj)]));
      const found = lookupInMro(obj, name);
      if (found) return bindDescriptor(interp, found.value, obj, obj);
      const meta = obj.metaclass ? lookupInMro(obj.metaclass, name) : undefined;
      if (meta) return metaclassAttribute(interp, meta.value, obj);
      throw new PyException("AttributeError", `type object '${obj.name}' has no attribute '${name}'`, undefined, site);
    }
    case "namespace": {
      const v = obj.get(name);
      if (v !== undefined) return v;
      if (obj.set) throw new PyException("AttributeError", `module '${obj.name}' has no attribute '${name}'`, undefined, site);
      return unknown(`${obj.name}.${name} is not modelled`);
    }
    case "tensor":
      return interp.tensors.attribute(obj, name, interp);
    case "unknown":
      return obj;
    case "function": {
      // attributes set on the function (functools.wraps sets __wrapped__, __name__, ...) come first
      const own = obj.attrs.get(name);
      if (own !== undefined) return own;
      if (name === "__name__") return str(obj.name);
      if (name === "__qualname__") return str(obj.qualname);
      if (name === "__module__") return str(obj.closure.moduleName);
      if (name === "__doc__") return obj.docstring !== undefined ? str(obj.docstring) : NONE;
      if (name === "__dict__") return makeDict([...obj.attrs].map(([k, v]) => [str(k), v] as const));
      throw new PyException("AttributeError", `'function' object has no attribute '${name}'`, undefined, site);
    }
    case "boundmethod":
      if (name === "__self__") return obj.self;
      return getAttr(interp, obj.func, name, site);
    case "partial":
      if (name === "func") return forceValue(obj.func);
      if (name === "args") return tuple(obj.args.map(forceValue));
      if (name === "keywords") return makeDict([...obj.kwargs].map(([k, v]) => [str(k), forceValue(v)] as const));
      break;
    case "tuple":
      if (obj.namedtuple) {
        const found = lookupInMro(obj.namedtuple, name);
        if (found) return bindDescriptor(interp, found.value, obj, obj.namedtuple);
      }
      break;
    case "property":
      return propertyAttr(obj, name) ?? builtinOrMissing(interp, obj, name, site);
    case "super": {
      const selfType = obj.self.kind === "class" ? obj.self : obj.self.kind === "object" ? obj.self.cls : undefined;
      if (!selfType) break;
      const found = lookupInMro(selfType, name, selfType.mro.indexOf(obj.cls) + 1);
      if (found) return bindDescriptor(interp, found.value, obj.self, selfType);
      throw new PyException("AttributeError", `'super' object has no attribute '${name}'`, undefined, site);
    }
    default:
      break;
  }
  return builtinOrMissing(interp, obj, name, site);
}

function builtinOrMissing(interp: Interpreter, obj: Value, name: string, site?: SourceLocation): Value {
  const method = builtinMethod(interp, obj, name) ?? builtinDataAttribute(obj, name);
  if (method) return method;
  throw new PyException("AttributeError", `'${typeName(obj)}' object has no attribute '${name}'`, undefined, site);
}

/** A property's accessors: `@x.setter` and its kin make a new property with one accessor replaced. */
function propertyAttr(prop: DescriptorValue, name: string): Value | undefined {
  switch (name) {
    case "setter":
      return native("property.setter", (c) => ({ kind: "property", func: prop.func, setter: c.args[0] }));
    case "getter":
      return native("property.getter", (c) => ({ kind: "property", func: c.args[0] ?? NONE, setter: prop.setter }));
    case "deleter":
      return native("property.deleter", () => ({ ...prop }));
    case "fget":
      return prop.func;
    case "fset":
      return prop.setter ?? NONE;
    case "__doc__":
      return prop.func.kind === "function" && prop.func.docstring !== undefined ? str(prop.func.docstring) : NONE;
    default:
      return undefined;
  }
}

function objectAttr(interp: Interpreter, obj: ObjectValue, name: string): Value {
  // a class's own __getattribute__ sees every lookup; __getattr__ still catches what it does not find
  const custom = lookupInMro(obj.cls, "__getattribute__");
  if (custom && custom.value.kind !== "native") {
    try {
      return interp.callValue(bindDescriptor(interp, custom.value, obj, obj.cls), [str(name)]);
    } catch (e) {
      const getattr = e instanceof PyException && e.pyType === "AttributeError" ? lookupInMro(obj.cls, "__getattr__") : undefined;
      if (!getattr) throw e;
      return interp.callValue(bindDescriptor(interp, getattr.value, obj, obj.cls), [str(name)]);
    }
  }
  return genericGetAttr(interp, obj, name, true);
}

/** object.__getattribute__: data descriptors of the type, the instance dict, the class; then __getattr__ if asked. */
export function genericGetAttr(interp: Interpreter, obj: ObjectValue, name: string, withGetattr: boolean): Value {
  // data descriptors (properties) on the type win over the instance dict
  const classAttr = lookupInMro(obj.cls, name);
  if (classAttr?.value.kind === "property") return interp.callValue(classAttr.value.func, [obj]);
  const own = obj.attrs.get(name);
  if (own !== undefined) return own;
  if (obj.module) {
    const p = obj.module.params.get(name) ?? obj.module.buffers.get(name) ?? obj.module.children.get(name);
    if (p !== undefined) return p;
  }
  if (name === "__class__") return obj.cls;
  if (name === "__dict__") return makeDict([...obj.attrs].map(([k, v]) => [str(k), v] as const));
  if (classAttr) return bindDescriptor(interp, classAttr.value, obj, obj.cls);
  const getattr = withGetattr ? lookupInMro(obj.cls, "__getattr__") : undefined;
  if (getattr) return interp.callValue(bindDescriptor(interp, getattr.value, obj, obj.cls), [str(name)]);
  throw new PyException("AttributeError", `'${obj.cls.name}' object has no attribute '${name}'`);
}

export function setAttr(interp: Interpreter, obj: Value, name: string, value: Value): void {
  if (obj.kind === "object") {
    const setattr = lookupInMro(obj.cls, "__setattr__");
    if (setattr && setattr.value.kind !== "native") {
      interp.callValue(bindDescriptor(interp, setattr.value, obj, obj.cls), [str(name), value]);
      return;
    }
    if (setattr?.value.kind === "native") {
      setattr.value.call({ args: [obj, str(name), value], kwargs: new Map(), interp, site: interp.site });
      return;
    }
    genericSetAttr(interp, obj, name, value);
    return;
  }
  if (obj.kind === "class") {
    obj.attrs.set(name, value);
    return;
  }
  if (obj.kind === "namespace" && obj.set) {
    obj.set(name, value);
    return;
  }
  if (obj.kind === "function") {
    obj.attrs.set(name, value);
    return;
  }
  if (obj.kind === "tensor") {
    interp.tensors.setAttribute(obj, name, value, interp);
    return;
  }
  if (obj.kind === "unknown") return;
  throw new PyException("AttributeError", `'${typeName(obj)}' object attribute '${name}' is read-only`);
}

/** object.__setattr__: a property's setter on the type, else the instance dict. */
export function genericSetAttr(interp: Interpreter, obj: ObjectValue, name: string, value: Value): void {
  const prop = lookupInMro(obj.cls, name);
  if (prop?.value.kind === "property" && prop.value.setter) {
    interp.callValue(prop.value.setter, [obj, value]);
    return;
  }
  obj.attrs.set(name, value);
}

/** Methods of the builtin types (str.join, list.append, dict.items, ...). */
export function builtinMethod(interp: Interpreter, obj: Value, name: string): Value | undefined {
  const methods = interp.builtins.vars.get(`__methods_${obj.kind}__`);
  if (methods?.kind !== "dict") return undefined;
  const m = methods.entries.get(hashKey(str(name)))?.value;
  return m ? { kind: "boundmethod", self: obj, func: m } : undefined;
}
