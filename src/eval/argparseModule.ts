// argparse, as training scripts use it to size their models (`nn.Linear(opt.nz, ...)`):
// parse_args() gives the defaults the script declares, the configuration it runs with
// when given no arguments. An argument the command line must supply (required, or a
// positional) has no value the source can tell: it is unknown, never invented.
import { PyException } from "./errors.js";
import { makeClass, type BuiltinTypes } from "./builtins.js";
import { pyStr } from "./operators.js";
import { nativeNamespace } from "./stdlib.js";
import { bool, list, makeObject, native, NONE, tuple, unknown, type ClassValue, type NamespaceValue, type NativeCall, type ObjectValue, type Value } from "./values.js";

interface Argument {
  readonly dest: string;
  readonly value: () => Value;
}

/** An option's dest: `dest=` if given, else the first long option (`--batch-size` → batch_size), else the first name. */
function destOf(names: readonly string[], explicit: Value | undefined): string {
  if (explicit?.kind === "str") return explicit.value;
  const long = names.find((n) => n.startsWith("--"));
  const chosen = long ?? names[0] ?? "";
  return chosen.replace(/^-+/, "").replace(/-/g, "_");
}

function keyword(call: NativeCall, name: string): Value | undefined {
  return call.kwargs.get(name);
}

/** The value an argument has when the command line does not mention it. */
function argumentValue(call: NativeCall, names: readonly string[], dest: string): () => Value {
  const positional = names.length > 0 && !names[0].startsWith("-");
  const action = keyword(call, "action");
  const actionName = action?.kind === "str" ? action.value : undefined;
  const nargs = keyword(call, "nargs");
  const optionalPositional = nargs?.kind === "str" && (nargs.value === "?" || nargs.value === "*");
  const required = keyword(call, "required");
  const mustBeGiven = (positional && !optionalPositional) || (required?.kind === "bool" && required.value);
  const dflt = keyword(call, "default");
  const type = keyword(call, "type");
  const interp = call.interp;
  return () => {
    if (mustBeGiven && dflt === undefined) return unknown(`command-line argument '${dest}' has no default`);
    if (dflt !== undefined) {
      // argparse converts a string default with the argument's type
      if (dflt.kind === "str" && type && (actionName === undefined || actionName === "store")) {
        try {
          return interp.callValue(type, [dflt]);
        } catch (e) {
          if (e instanceof PyException) return unknown(`the default of '${dest}' does not convert with its type`);
          throw e;
        }
      }
      return dflt;
    }
    if (actionName === "store_true") return bool(false);
    if (actionName === "store_false") return bool(true);
    return NONE;
  };
}

export function argparseModule(types: BuiltinTypes): NamespaceValue {
  const argumentsOf = new WeakMap<ObjectValue, Argument[]>();
  const defaultsOf = new WeakMap<ObjectValue, Map<string, Value>>();
  const namespaceClass: ClassValue = makeClass(
    "Namespace",
    [types.object],
    {},
    {
      construct: (cls, call) => {
        const obj = makeObject(cls);
        for (const [k, v] of call.kwargs) obj.attrs.set(k, v);
        return obj;
      },
    },
    "argparse",
  );
  const parserOf = (call: NativeCall): ObjectValue => {
    const self = call.args[0];
    if (self?.kind !== "object") throw new PyException("TypeError", "ArgumentParser method called without a parser");
    return self;
  };
  const argsList = (parser: ObjectValue): Argument[] => {
    let args = argumentsOf.get(parser);
    if (!args) argumentsOf.set(parser, (args = []));
    return args;
  };
  const parse = (call: NativeCall): Value => {
    const parser = parserOf(call);
    // an explicit command line other than [] would need argparse's own parsing
    const argv = call.args[1] ?? keyword(call, "args");
    if (argv && argv.kind !== "none" && !((argv.kind === "list" || argv.kind === "tuple") && argv.items.length === 0))
      return unknown("parse_args() of an explicit command line is not modelled");
    const given = call.args[2] ?? keyword(call, "namespace");
    const ns = given?.kind === "object" ? given : makeObject(namespaceClass);
    for (const a of argsList(parser)) if (!ns.attrs.has(a.dest)) ns.attrs.set(a.dest, a.value());
    for (const [k, v] of defaultsOf.get(parser) ?? []) if (!argsList(parser).some((a) => a.dest === k)) ns.attrs.set(k, v);
    call.interp.note("argparse: parse_args() gives the defaults the script declares; arguments without a default are unknown");
    return ns;
  };
  // a group adds its arguments to the parser it came from
  const groupClass: ClassValue = makeClass("_ArgumentGroup", [types.object], {}, undefined, "argparse");
  const groupParent = new WeakMap<ObjectValue, ObjectValue>();
  const ownerOf = (obj: ObjectValue): ObjectValue => groupParent.get(obj) ?? obj;
  const addArgument = native("ArgumentParser.add_argument", (call) => {
    const parser = ownerOf(parserOf(call));
    const names = call.args.slice(1).map((a) => pyStr(a));
    const dest = destOf(names, keyword(call, "dest"));
    const value = argumentValue(call, names, dest);
    // set_defaults(...) wins over the argument's own default, whenever it was called
    argsList(parser).push({ dest, value: () => defaultsOf.get(parser)?.get(dest) ?? value() });
    return NONE;
  });
  const makeGroup = native("ArgumentParser.add_argument_group", (call) => {
    const group = makeObject(groupClass);
    groupParent.set(group, ownerOf(parserOf(call)));
    return group;
  });
  const setDefaults = native("ArgumentParser.set_defaults", (call) => {
    const parser = ownerOf(parserOf(call));
    let d = defaultsOf.get(parser);
    if (!d) defaultsOf.set(parser, (d = new Map()));
    for (const [k, v] of call.kwargs) d.set(k, v);
    return NONE;
  });
  const noop = (name: string) => native(`ArgumentParser.${name}`, () => NONE);
  for (const [name, value] of Object.entries({ add_argument: addArgument, add_argument_group: makeGroup, add_mutually_exclusive_group: makeGroup, set_defaults: setDefaults }))
    groupClass.attrs.set(name, value);
  const parserClass = makeClass(
    "ArgumentParser",
    [types.object],
    {
      __init__: native("ArgumentParser.__init__", () => NONE),
      add_argument: addArgument,
      add_argument_group: makeGroup,
      add_mutually_exclusive_group: makeGroup,
      set_defaults: setDefaults,
      parse_args: native("ArgumentParser.parse_args", parse),
      parse_known_args: native("ArgumentParser.parse_known_args", (call) => tuple([parse(call), list([])])),
      add_subparsers: native("ArgumentParser.add_subparsers", () => unknown("argparse subcommands are not modelled")),
      print_help: noop("print_help"),
      print_usage: noop("print_usage"),
    },
    undefined,
    "argparse",
  );
  return nativeNamespace("argparse", {
    ArgumentParser: parserClass,
    Namespace: namespaceClass,
    ArgumentDefaultsHelpFormatter: makeClass("ArgumentDefaultsHelpFormatter", [types.object], {}, undefined, "argparse"),
    RawTextHelpFormatter: makeClass("RawTextHelpFormatter", [types.object], {}, undefined, "argparse"),
    RawDescriptionHelpFormatter: makeClass("RawDescriptionHelpFormatter", [types.object], {}, undefined, "argparse"),
    SUPPRESS: { kind: "str", value: "==SUPPRESS==" },
  });
}
