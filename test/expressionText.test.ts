// parseExpressionText reads a name or an empty call (`--model "resnet50()"`) without
// loading tree-sitter: the same tree, spans included, as the parser gives.
import { describe, expect, it } from "vitest";
import { parseExpressionText, parsePython } from "../src/parse/parser.js";

function parsed(text: string) {
  const module = parsePython(text);
  const stmt = module.body[0];
  return module.body.length === 1 && stmt.kind === "expr" ? stmt.value : undefined;
}

describe("a --model expression", () => {
  it.each(["resnet50()", "Net", "resnet50( )", "_private_9()", "match", "print()"])("%j reads as the parser reads it", (text) => {
    expect(parseExpressionText(text)).toEqual(parsed(text));
  });

  it.each(["None", "True()", "not x", "resnet50(2)", "a.b()", "Net(num_classes=10)"])("%j is left to the parser", (text) => {
    expect(parseExpressionText(text)).toEqual(parsed(text));
  });
});
