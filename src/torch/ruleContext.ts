// The RuleContext a rule reports through: diagnostics point at the layer's
// definition in __init__ and relate the forward line where the tensor arrives.
// A reported fault comes back as a handle, so a later layer can add to it.
import type { Interpreter } from "../eval/interpreter.js";
import type { SourceLocation } from "../eval/values.js";
import type { Diagnostic, RelatedLocation } from "../diagnostics/diagnostic.js";
import { Related } from "../diagnostics/messages.js";
import type { Layer, MessageFacts, RuleContext } from "../layers/rule.js";
import type { FaultHandle } from "../shapes/tensor.js";
import type { Dim } from "../shapes/dim.js";

const sinks = new WeakMap<Interpreter, Diagnostic[]>();
const factsByInterpreter = new WeakMap<Interpreter, MessageFacts>();
const flopCounters = new WeakMap<Interpreter, (flops: Dim | undefined) => void>();
const rowCounters = new WeakMap<Interpreter, () => number>();

/** Where the rules' flops go while a forward pass is traced (set by the analysis per model). */
export function setFlopCounter(interp: Interpreter, counter: ((flops: Dim | undefined) => void) | undefined): void {
  if (counter) flopCounters.set(interp, counter);
  else flopCounters.delete(interp);
}

/** How many rows the forward pass being traced has begun (set by the analysis per model), for a diagnostic's rowsBefore. */
export function setRowCounter(interp: Interpreter, counter: (() => number) | undefined): void {
  if (counter) rowCounters.set(interp, counter);
  else rowCounters.delete(interp);
}

/** The diagnostics rules have reported during this interpreter's run. */
export function diagnosticsOf(interp: Interpreter): Diagnostic[] {
  let list = sinks.get(interp);
  if (!list) sinks.set(interp, (list = []));
  return list;
}

/** What messages may say about the model this interpreter is running (set by the analysis per model). */
export function setMessageFacts(interp: Interpreter, facts: MessageFacts | undefined): void {
  if (facts) factsByInterpreter.set(interp, facts);
  else factsByInterpreter.delete(interp);
}

export function messageFactsOf(interp: Interpreter): MessageFacts | undefined {
  return factsByInterpreter.get(interp);
}

function locationKey(code: string, location: SourceLocation): string {
  return `${code}@${location.file}:${location.span.line}:${location.span.col}`;
}

function sameLine(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.span.line === b.span.line;
}

/** The handle a later rule uses to add to a reported diagnostic. */
export function faultHandle(d: Diagnostic): FaultHandle {
  return {
    relate(message, where) {
      const location: SourceLocation = { file: where.file, span: where.span };
      if (!d.related.some((r) => r.message === message && sameLine(r.location, location))) d.related.push({ location, message });
    },
    addClause(clause) {
      if (!d.message.includes(clause)) d.message = `${d.message}; ${clause}`;
    },
    addFix(fix) {
      if (!d.fix?.includes(fix)) d.fix = d.fix ? `${d.fix}; ${fix}` : fix;
    },
    confirm(clause) {
      if (d.severity === "error") return;
      d.severity = "error";
      d.message = `${d.message}; ${clause}`;
    },
  };
}

export function makeRuleContext(interp: Interpreter, site: SourceLocation | undefined, layer?: Layer, methodCall = false): RuleContext {
  return {
    interp,
    site,
    layer,
    methodCall,
    facts: factsByInterpreter.get(interp),
    countFlops(flops) {
      flopCounters.get(interp)?.(flops);
    },
    report(message, options = {}) {
      const definedAt = layer?.definedAt;
      const location = definedAt ?? site;
      if (!location) return undefined;
      const related: RelatedLocation[] = [...(options.related ?? [])];
      if (definedAt && site && !sameLine(site, definedAt)) related.unshift({ location: site, message: Related.tensorArrives({}) });
      const list = diagnosticsOf(interp);
      const key = locationKey(message.code, location);
      // one fault reports once, however many times the layer runs
      const existing = list.find((d) => locationKey(d.code, d.location) === key);
      if (existing) return faultHandle(existing);
      const diagnostic: Diagnostic = { severity: options.severity ?? "error", code: message.code, message: message.text, location, related, fix: options.fix, rowsBefore: rowCounters.get(interp)?.() };
      list.push(diagnostic);
      return faultHandle(diagnostic);
    },
    note(message) {
      interp.note(message, site);
    },
  };
}
