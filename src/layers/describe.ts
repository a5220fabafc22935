// The pieces messages are made of, in the user's own words: a layer as its name
// and constructor call ("fc1 = nn.Linear(8 * 8 * 8, 32)"), a tensor as the
// expression passed ("x"), and a size with where it comes from ("392 = 8 × 7 × 7
// after pool2 (input 28 × 28)"). Without facts (a rule run outside an analysis)
// every piece falls back to plain numbers.
import { binaryText, callText, isQuotable, replaceSpan, sequenceElements, type CallText } from "../diagnostics/sourceText.js";
import { dimToString, type Dim } from "../shapes/dim.js";
import type { Tensor } from "../shapes/tensor.js";
import type { Layer, RuleContext } from "./rule.js";

/** Source text on one line, or undefined when it is too long to quote. */
function quotable(text: string | undefined, limit: number): string | undefined {
  if (text === undefined) return undefined;
  const oneLine = text.replace(/\s*\n\s*/g, " ").replace(/\(\s+/g, "(").replace(/,\s*\)/g, ")");
  return oneLine.length <= limit ? oneLine : undefined;
}

/** The constructor call of a layer as written in __init__, when it is one. */
export function layerSource(ctx: RuleContext, layer: Layer | undefined = ctx.layer): string | undefined {
  const at = layer?.definedAt;
  const text = at ? ctx.facts?.sourceText(at) : undefined;
  return text !== undefined && /^[\w.]+\s*\(/.test(text) ? text : undefined;
}

/** "fc1 = nn.Linear(8 * 8 * 8, 32)", "features.0 (nn.Conv2d(3, 64, 3))", or the fallback ("Linear(512, 32)"). */
export function layerLabel(ctx: RuleContext, fallback: string, layer: Layer | undefined = ctx.layer): string {
  const name = layer ? ctx.facts?.moduleName(layer.obj) : undefined;
  const source = quotable(layerSource(ctx, layer), 72);
  if (name && source) return name.includes(".") ? `${name} (${source})` : `${name} = ${source}`;
  if (name) return `${name} (${fallback})`;
  return source ?? fallback;
}

/** The call at the rule's site as written: `x.view(-1, 8 * 8 * 8)`. */
export function callAtSite(ctx: RuleContext): CallText | undefined {
  const text = ctx.site ? ctx.facts?.sourceText(ctx.site) : undefined;
  return text === undefined ? undefined : callText(text);
}

/** The call (or operator expression) at the site on one line, or the fallback (`view(-1, 512)`). */
export function callLabel(ctx: RuleContext, fallback: string): string {
  const text = ctx.site ? ctx.facts?.sourceText(ctx.site) : undefined;
  if (text === undefined) return fallback;
  const written = callText(text)?.text ?? binaryText(text)?.text;
  return (written !== undefined ? quotable(written, 72) : undefined) ?? fallback;
}

/**
 * The expression that gave argument `index` of the call at the site ("x"), or the
 * fallback. A Tensor method's self (index 0) is its receiver: `x` in `x.view(...)`.
 */
export function argumentLabel(ctx: RuleContext, index: number, fallback = "the input"): string {
  const text = ctx.site ? ctx.facts?.sourceText(ctx.site) : undefined;
  if (text === undefined) return fallback;
  const call = callText(text);
  if (call) {
    const method = ctx.methodCall === true;
    const written = method ? (index === 0 ? call.receiver : call.args[index - 1]?.text) : call.args[index]?.text;
    return written !== undefined && isQuotable(written) ? written : fallback;
  }
  const binary = binaryText(text);
  const operand = index === 0 ? binary?.left : index === 1 ? binary?.right : undefined;
  return operand !== undefined && isQuotable(operand) ? operand : fallback;
}

/** Element `element` of a list argument as written: `skip` in `torch.cat([x, skip], 1)`, or "tensor 1". */
export function elementLabel(ctx: RuleContext, argument: number, element: number): string {
  const fallback = `tensor ${element}`;
  const call = callAtSite(ctx);
  const list = call?.args[argument]?.text;
  const written = list === undefined ? undefined : sequenceElements(list)?.[element];
  return written !== undefined && isQuotable(written) ? written : fallback;
}

/** The tensor a layer received, named as written: `x` in `self.fc1(x)`. */
export function inputLabel(ctx: RuleContext, index = 0): string {
  return argumentLabel(ctx, index, "the input");
}

/** " (input 28 × 28)": the model input's sizes past batch and channels, which decide spatial sizes. */
export function modelInputClause(ctx: RuleContext): string {
  const input = ctx.facts?.inputs[0];
  if (!input?.shape || input.shape.length < 3) return "";
  return ` (input ${input.shape.slice(2).map(dimToString).join(" × ")})`;
}

/** The factors a flatten/view merged into `axis`, when it did: [8, 7, 7]. */
export function mergedFactors(t: Tensor, axis: number): readonly Dim[] | undefined {
  const merged = t.origin?.merged;
  return merged && merged.axis === axis && merged.factors.length > 1 ? merged.factors : undefined;
}

/** One factor of a product, parenthesised unless it is a number or a name. */
function factorText(f: Dim): string {
  const text = dimToString(f);
  return /^\w+$/.test(text) ? text : `(${text})`;
}

/** A product for messages: 8 × (H // 4) × (W // 4). */
export function productText(factors: readonly Dim[]): string {
  return factors.map(factorText).join(" × ");
}

/** A product as a Python expression: 8 * 7 * 7. */
export function productExpression(factors: readonly Dim[]): string {
  return factors.map(factorText).join(" * ");
}

/**
 * A size with its story: "392 = 8 × 7 × 7 after pool2 (input 28 × 28)". The
 * factors show when a flatten or view merged them; the module the tensor last
 * came out of and the model input show when known.
 */
export function sizeStory(ctx: RuleContext, t: Tensor, axis: number): string {
  const size = t.shape?.[axis];
  if (size === undefined) return "an unknown size";
  return storyOf(ctx, size, mergedFactors(t, axis), t.origin?.after);
}

/** A size, the factors it is the product of, and the module it came out of, as a phrase. */
export function storyOf(ctx: RuleContext, size: Dim, factors: readonly Dim[] | undefined, after: string | undefined): string {
  const value = dimToString(size);
  const shown = factors && factors.length > 1 ? (typeof size === "number" ? `${value} = ${productText(factors)}` : productText(factors)) : value;
  const afterText = after ? ` after ${after}` : "";
  return `${shown}${afterText}${afterText || (factors && factors.length > 1) ? modelInputClause(ctx) : ""}`;
}

/**
 * A layer's constructor call with one argument rewritten: `nn.Linear(8 * 8 * 8, 32)`
 * with in_features 8 * 7 * 7 → `nn.Linear(8 * 7 * 7, 32)`. Undefined when the
 * argument is not written in the call (passed through *args or **kwargs).
 */
export function rewrittenConstructor(source: string | undefined, parameter: string, position: number, replacement: string): string | undefined {
  const call = source === undefined ? undefined : callText(source);
  if (!call) return undefined;
  const arg = call.keywords.get(parameter) ?? call.args[position];
  if (!arg) return undefined;
  return quotable(replaceSpan(call.text, arg.span, replacement), 96);
}

/**
 * The Lazy form of a layer's constructor call, without the argument it infers:
 * `nn.Linear(8 * 8 * 8, 32, bias=False)` → `nn.LazyLinear(32, bias=False)`.
 */
export function lazyConstructor(source: string | undefined, parameter: string, position: number): string | undefined {
  const call = source === undefined ? undefined : callText(source);
  if (!call || !/(^|\.)[A-Z]\w*$/.test(call.callee)) return undefined;
  const inferred = call.keywords.get(parameter) ?? call.args[position];
  if (!inferred) return undefined;
  const args = [
    ...call.args.filter((a) => a !== inferred).map((a) => a.text),
    ...[...call.keywords].filter(([, v]) => v !== inferred).map(([k, v]) => `${k}=${v.text}`),
  ];
  const callee = call.callee.replace(/(^|\.)([A-Z]\w*)$/, (_, dot: string, name: string) => `${dot}Lazy${name}`);
  return quotable(`${callee}(${args.join(", ")})`, 96);
}

/** " with stride 2, padding 1": the window settings that differ from the defaults, for output-size messages. */
export function windowSettings(stride: readonly number[], padding: readonly number[], dilation: readonly number[]): string {
  const shown = (xs: readonly number[]) => (xs.every((v) => v === xs[0]) ? String(xs[0]) : xs.join(" × "));
  const parts = [
    ...(stride.some((v) => v !== 1) ? [`stride ${shown(stride)}`] : []),
    ...(padding.some((v) => v !== 0) ? [`padding ${shown(padding)}`] : []),
    ...(dilation.some((v) => v !== 1) ? [`dilation ${shown(dilation)}`] : []),
  ];
  return parts.length > 0 ? ` with ${parts.join(", ")}` : "";
}
