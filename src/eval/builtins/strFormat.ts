// str.format: the replacement fields a template names, filled from positional and keyword arguments.
import { pyFormat } from "../operators.js";
import type { Value } from "../values.js";

export function strFormat(template: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>): string {
  let auto = 0;
  return template.replace(/\{\{|\}\}|\{([^{}:!]*)(?:![rsa])?(?::([^{}]*))?\}/g, (m, field: string | undefined, spec: string | undefined) => {
    if (m === "{{") return "{";
    if (m === "}}") return "}";
    const name = field ?? "";
    const value = name === "" ? args[auto++] : /^\d+$/.test(name) ? args[Number(name)] : kwargs.get(name);
    return value ? pyFormat(value, spec) : m;
  });
}
