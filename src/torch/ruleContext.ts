// The RuleContext a rule reports through: diagnostics point at the layer's
// definition in __init__ and relate the forward line where the tensor arrives.
import type { Interpreter } from "../eval/interpreter.js";
import type { SourceLocation } from "../eval/values.js";
import type { Diagnostic, RelatedLocation } from "../diagnostics/diagnostic.js";
import type { Layer, RuleContext } from "../layers/rule.js";

const sinks = new WeakMap<Interpreter, Diagnostic[]>();

/** The diagnostics rules have reported during this interpreter's run. */
export function diagnosticsOf(interp: Interpreter): Diagnostic[] {
  let list = sinks.get(interp);
  if (!list) sinks.set(interp, (list = []));
  return list;
}

export function makeRuleContext(interp: Interpreter, site: SourceLocation | undefined, layer?: Layer): RuleContext {
  return {
    interp,
    site,
    layer,
    report(code, message, options = {}) {
      const definedAt = layer?.definedAt;
      const location = definedAt ?? site;
      if (!location) return;
      const related: RelatedLocation[] = [...(options.related ?? [])];
      if (definedAt && site && (site.file !== definedAt.file || site.span.line !== definedAt.span.line))
        related.unshift({ location: site, message: "the tensor arrives here" });
      const list = diagnosticsOf(interp);
      const key = `${code}@${location.file}:${location.span.line}:${location.span.col}`;
      // one fault reports once, however many times the layer runs
      if (list.some((d) => `${d.code}@${d.location.file}:${d.location.span.line}:${d.location.span.col}` === key)) return;
      list.push({ severity: options.severity ?? "error", code, message, location, related, fix: options.fix });
    },
    note(message) {
      interp.note(message, site);
    },
  };
}
