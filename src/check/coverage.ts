// What `check` covered across a whole run: the nn.Module classes found in the
// checked files, which of them some analysed model contains (as its root or as a
// part), and why the others were not analysed. Also remembers the models already
// analysed, so that one built twice (by its factory and with its defaults, or in
// two scripts with the same arguments) is analysed once.
import type { ClassValue, ObjectValue } from "../eval/values.js";
import { moduleParameters, namedModules } from "../torch/module.js";
import { formatShape } from "../shapes/shape.js";

/** Why a class was not analysed: nothing builds it, or building it failed. */
export type SkipReason = { readonly kind: "needs constructor arguments" } | { readonly kind: "could not build"; readonly detail: string };

/** A class no analysed model contains. */
export interface NotAnalysedClass {
  readonly name: string;
  readonly file: string;
  /** 1-based line of the class */
  readonly line: number;
  readonly reason: SkipReason;
}

export interface CoverageSummary {
  readonly found: number;
  readonly analysed: number;
  /** by file and line */
  readonly notAnalysed: readonly NotAnalysedClass[];
}

function classKey(cls: ClassValue): string | undefined {
  return cls.location ? `${cls.location.file}:${cls.location.span.line}` : undefined;
}

/** Two builds are the same model when they make the same tree of the same classes with the same parameter shapes. */
function fingerprint(model: ObjectValue): string {
  const classOf = (m: ObjectValue) => classKey(m.cls) ?? m.cls.name;
  const modules = namedModules(model).map(([n, m]) => `${n}=${classOf(m)}`);
  const params = moduleParameters(model).map(([n, p]) => `${n}:${formatShape(p.shape)}`);
  return `${modules.join(",")}|${params.join(",")}`;
}

export class CoverageLedger {
  private readonly found = new Map<string, { readonly cls: ClassValue; skipped?: SkipReason }>();
  private readonly analysed = new Set<string>();
  private readonly models = new Set<string>();

  /** A module class defined in a checked file. */
  classFound(cls: ClassValue): void {
    const key = classKey(cls);
    if (key && !this.found.has(key)) this.found.set(key, { cls });
  }

  /** A model is about to be analysed: false when the same model was analysed already. */
  modelIsNew(model: ObjectValue): boolean {
    const print = fingerprint(model);
    if (this.models.has(print)) return false;
    this.models.add(print);
    return true;
  }

  /** Every class of an analysed model's tree counts as analysed, and their base classes (GeneralizedRCNN under FasterRCNN), whose code ran too. */
  modelAnalysed(model: ObjectValue): void {
    for (const [, m] of namedModules(model)) {
      for (const cls of m.cls.mro) {
        const key = classKey(cls);
        if (key) this.analysed.add(key);
      }
    }
  }

  /** A class stands for a model of another class (`# torchshape: model=build(2)` above it). */
  classAnalysed(cls: ClassValue): void {
    const key = classKey(cls);
    if (key) this.analysed.add(key);
  }

  /** Some analysed model contains this class: building it with its defaults again adds nothing. */
  isAnalysed(cls: ClassValue): boolean {
    const key = classKey(cls);
    return key !== undefined && this.analysed.has(key);
  }

  classSkipped(cls: ClassValue, reason: SkipReason): void {
    const key = classKey(cls);
    const entry = key ? this.found.get(key) : undefined;
    if (entry) entry.skipped ??= reason;
  }

  summary(): CoverageSummary {
    const notAnalysed: NotAnalysedClass[] = [];
    let analysed = 0;
    for (const [key, { cls, skipped }] of this.found) {
      if (this.analysed.has(key)) analysed++;
      // a class with defaults is always built, so one never tried was never built for want of arguments
      else notAnalysed.push({ name: cls.name, file: cls.location!.file, line: cls.location!.span.line + 1, reason: skipped ?? { kind: "needs constructor arguments" } });
    }
    notAnalysed.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    return { found: this.found.size, analysed, notAnalysed };
  }
}
