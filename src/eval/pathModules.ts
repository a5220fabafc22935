// os (os.path's string functions, an empty environment) and urllib.parse
// (urlsplit/urlparse): pure string work that model factories do on names.
// The file system itself is never read: exists() and friends are unknown.
import type { BuiltinTypes } from "./builtins.js";
import { pyStr } from "./operators.js";
import { namedTupleClass, nativeNamespace } from "./stdlib.js";
import { makeDict, native, NONE, str, tuple, unknown, type NamespaceValue, type NativeCall, type Value } from "./values.js";

/** the i-th argument, known to be a string (pathFn checked) */
function strArg(call: NativeCall, i: number): string {
  return pyStr(call.args[i]);
}

/** A string function of os.path; an argument that is not a known string gives Unknown. */
function pathFn(name: string, f: (call: NativeCall) => Value): Value {
  return native(`os.path.${name}`, (call) => {
    if (call.args.some((a) => a.kind !== "str")) return unknown(`os.path.${name} of a value that is not a known string`);
    return f(call);
  });
}

export function posixSplit(p: string): [string, string] {
  const i = p.lastIndexOf("/") + 1;
  let head = p.slice(0, i);
  const tail = p.slice(i);
  if (head && head !== "/".repeat(head.length)) head = head.replace(/\/+$/, "");
  return [head, tail];
}

function posixJoin(parts: string[]): string {
  let path = parts[0];
  for (const b of parts.slice(1)) {
    if (b.startsWith("/")) path = b;
    else if (!path || path.endsWith("/")) path += b;
    else path += `/${b}`;
  }
  return path;
}

function splitext(p: string): [string, string] {
  const base = posixSplit(p)[1];
  const dot = base.lastIndexOf(".");
  // leading dots of a name (".bashrc") are not an extension
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, ""];
  const cut = p.length - (base.length - dot);
  return [p.slice(0, cut), p.slice(cut)];
}

function osPathModule(): NamespaceValue {
  const pair = ([a, b]: [string, string]) => tuple([str(a), str(b)]);
  const fileSystem = (name: string) => native(`os.path.${name}`, () => unknown(`os.path.${name}: the file system is not read`));
  return nativeNamespace("os.path", {
    sep: str("/"),
    join: pathFn("join", (c) => str(posixJoin(c.args.map((_, i) => strArg(c, i))))),
    split: pathFn("split", (c) => pair(posixSplit(strArg(c, 0)))),
    basename: pathFn("basename", (c) => str(posixSplit(strArg(c, 0))[1])),
    dirname: pathFn("dirname", (c) => str(posixSplit(strArg(c, 0))[0])),
    splitext: pathFn("splitext", (c) => pair(splitext(strArg(c, 0)))),
    isabs: pathFn("isabs", (c) => ({ kind: "bool", value: strArg(c, 0).startsWith("/") })),
    exists: fileSystem("exists"),
    isfile: fileSystem("isfile"),
    isdir: fileSystem("isdir"),
    expanduser: fileSystem("expanduser"),
    abspath: fileSystem("abspath"),
  });
}

/** os: the path functions and an empty environment (what code reads from it takes its default). */
export function osModule(): NamespaceValue {
  const path = osPathModule();
  return nativeNamespace(
    "os",
    {
      environ: makeDict(),
      sep: str("/"),
      // a POSIX machine (code picks its Windows-only paths with os.name == "nt")
      name: str("posix"),
      path,
      getenv: native("os.getenv", (call) => call.args[1] ?? call.kwargs.get("default") ?? NONE),
    },
    () => unknown("os is not modelled"),
  );
}

/** urllib.parse.urlsplit / urlparse on a known string (RFC 3986 parts, as Python splits them). */
export function urllibParseModule(types: BuiltinTypes): NamespaceValue {
  const splitResult = namedTupleClass("SplitResult", ["scheme", "netloc", "path", "query", "fragment"], [], types, "urllib.parse");
  const parseResult = namedTupleClass("ParseResult", ["scheme", "netloc", "path", "params", "query", "fragment"], [], types, "urllib.parse");
  const split = (url: string): string[] => {
    let rest = url;
    let scheme = "";
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
    if (m) {
      scheme = m[1].toLowerCase();
      rest = rest.slice(m[0].length);
    }
    let netloc = "";
    if (rest.startsWith("//")) {
      const end = rest.slice(2).search(/[/?#]/);
      netloc = end < 0 ? rest.slice(2) : rest.slice(2, 2 + end);
      rest = end < 0 ? "" : rest.slice(2 + end);
    }
    let fragment = "";
    const hash = rest.indexOf("#");
    if (hash >= 0) [rest, fragment] = [rest.slice(0, hash), rest.slice(hash + 1)];
    let query = "";
    const q = rest.indexOf("?");
    if (q >= 0) [rest, query] = [rest.slice(0, q), rest.slice(q + 1)];
    return [scheme, netloc, rest, query, fragment];
  };
  const make = (cls: typeof splitResult, items: string[]): Value => ({ kind: "tuple", items: items.map(str), namedtuple: cls });
  return nativeNamespace("urllib.parse", {
    urlsplit: native("urllib.parse.urlsplit", (call) => (call.args[0]?.kind === "str" ? make(splitResult, split(call.args[0].value)) : unknown("urlsplit of an unknown string"))),
    urlparse: native("urllib.parse.urlparse", (call) => {
      if (call.args[0]?.kind !== "str") return unknown("urlparse of an unknown string");
      const [scheme, netloc, path, query, fragment] = split(call.args[0].value);
      const semi = path.lastIndexOf(";");
      const [p, params] = semi >= 0 && path.lastIndexOf("/") < semi ? [path.slice(0, semi), path.slice(semi + 1)] : [path, ""];
      return make(parseResult, [scheme, netloc, p, params, query, fragment]);
    }),
    quote: native("urllib.parse.quote", (call) => (call.args[0]?.kind === "str" ? str(encodeURIComponent(pyStr(call.args[0])).replace(/%2F/g, "/")) : unknown("quote of an unknown string"))),
  });
}
