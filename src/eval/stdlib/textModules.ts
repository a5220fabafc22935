// string (its constants and capwords) and keyword (the language's keywords), as in Python 3.11.
import { bool, list, native, str, unknown, type NamespaceValue, type Value } from "../values.js";
import { nativeNamespace } from "../stdlib.js";

const lowercase = "abcdefghijklmnopqrstuvwxyz";
const uppercase = lowercase.toUpperCase();
const digits = "0123456789";
const punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
const whitespace = " \t\n\r\x0b\x0c";

export function stringModule(): NamespaceValue {
  return nativeNamespace("string", {
    ascii_letters: str(lowercase + uppercase),
    ascii_lowercase: str(lowercase),
    ascii_uppercase: str(uppercase),
    digits: str(digits),
    hexdigits: str(`${digits}abcdefABCDEF`),
    octdigits: str("01234567"),
    punctuation: str(punctuation),
    whitespace: str(whitespace),
    printable: str(digits + lowercase + uppercase + punctuation + whitespace),
    capwords: native("string.capwords", (call) => {
      const s = call.args[0];
      if (s?.kind !== "str") return unknown("string.capwords of an unknown value");
      const sep = call.args[1] ?? call.kwargs.get("sep");
      const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
      if (sep && sep.kind === "str") return str(s.value.split(sep.value).map(cap).join(sep.value));
      return str(s.value.split(/\s+/).filter(Boolean).map(cap).join(" "));
    }),
    Template: native("string.Template", () => unknown("string.Template is not modelled")),
    Formatter: native("string.Formatter", () => unknown("string.Formatter is not modelled")),
  });
}

const keywords = "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" ");
const softKeywords = ["_", "case", "match"];

export function keywordModule(): NamespaceValue {
  const test = (name: string, words: readonly string[]): Value =>
    native(`keyword.${name}`, (call) => {
      const s = call.args[0];
      return s?.kind === "str" ? bool(words.includes(s.value)) : s?.kind === "unknown" ? unknown(`keyword.${name} of an unknown value`) : bool(false);
    });
  return nativeNamespace("keyword", {
    kwlist: list(keywords.map(str)),
    softkwlist: list(softKeywords.map(str)),
    iskeyword: test("iskeyword", keywords),
    issoftkeyword: test("issoftkeyword", softKeywords),
  });
}
