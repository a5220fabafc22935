// Rule signatures read without tree-sitter (src/layers/signatureText.ts) read as the
// Python parser reads them, for every registered layer and op rule.
import { describe, expect, it } from "vitest";
import { layerRules } from "../src/layers/index.js";
import { opRules } from "../src/layers/ops/index.js";
import { parsedParameters } from "../src/layers/signature.js";
import { readSignatureText } from "../src/layers/signatureText.js";

/** Spans aside (a rule signature has no place in a file). */
function withoutSpans(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === "span" ? undefined : x)));
}

const registered = [...new Set([...[...layerRules.values()].flatMap((r) => [r.signature, r.forwardSignature ?? "input"]), ...[...opRules.values()].map((r) => r.signature)])];

describe("rule signatures read without the parser", () => {
  it("covers every registered rule, read as the parser reads it", () => {
    expect(registered.length).toBeGreaterThan(100);
    for (const text of registered) {
      const read = readSignatureText(text);
      expect(read, text).toBeDefined();
      expect(withoutSpans(read), text).toEqual(withoutSpans(parsedParameters(text)));
    }
  });

  it.each(["a, /, b, *, c=(1, -2.5), d='x', **kw", "x=(), y=(3,), z=(4)", "*args, t=1e-05, u=-1, v=None, w=True", "a, b,", ""])("reads %j as the parser does", (text) => {
    expect(withoutSpans(readSignatureText(text))).toEqual(withoutSpans(parsedParameters(text)));
  });

  it.each(["x: int", "x=[1]", "x=f(1)", "x=a.b", "x='a\\'b'", "x=1 + 2", "lambda: 0"])("leaves %j to the parser", (text) => {
    expect(readSignatureText(text)).toBeUndefined();
  });
});
