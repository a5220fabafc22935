// Message templates with named parameters ("{layer} expects {expected} input
// features"), typed so that a call must give exactly the parameters its template names.

/** The names of the `{placeholders}` of a template, as a union of string literals. */
export type PlaceholderNames<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | PlaceholderNames<Rest> : never;

/** The parameters a template takes: one string or number per placeholder. */
export type TemplateParams<T extends string> = { readonly [K in PlaceholderNames<T>]: string | number };

const placeholder = /\{(\w+)\}/g;

/** The placeholder names of a template at run time (for the registry test). */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(placeholder)].map((m) => m[1]);
}

/** Fill a template; a missing parameter is a programming error. */
export function fillTemplate(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(placeholder, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`message template parameter '${name}' not given: ${template}`);
    return String(value);
  });
}
