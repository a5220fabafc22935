// Which of torch's names and arguments exist in the modelled torch version.
// A rule declares the version that introduced it (`since`) and, for arguments
// added later, the version of each (`paramsSince`); names no rule models but
// that code tests for (hasattr(torch, "compile")) are listed here. A name absent
// in the modelled version does not exist: hasattr is False, a call of an
// argument it lacks is PyTorch's own TypeError.
import { PyException } from "../eval/errors.js";
import type { Value } from "../eval/values.js";
import { atLeast } from "../eval/versionOrder.js";
import type { Signature } from "../layers/signature.js";

/**
 * The latest stable torch release whose API src/layers models: what an analysis
 * assumes when no environment says otherwise (the torch an unpinned pip install gets).
 */
export const latestTorchVersion = "2.8.0";

/** torch names that no rule models, by the version that introduced them. */
const introducedIn: Readonly<Record<string, string>> = {
  "torch.compile": "2.0",
  "torch.func": "2.0",
  "torch.export": "2.1",
  "torch.nn.attention": "2.2",
};

export class TorchApi {
  constructor(
    /** the modelled torch.__version__, e.g. "1.13.0a0" or "2.8.0" */
    readonly version: string,
  ) {}

  /** Whether something introduced in `since` exists (always, without a since). */
  has(since: string | undefined): boolean {
    return since === undefined || atLeast(this.version, since);
  }

  /** Whether a torch name no rule models exists ("torch.compile"). */
  hasName(qualifiedName: string): boolean {
    return this.has(introducedIn[qualifiedName]);
  }

  /** PyTorch's TypeError for an argument the modelled version does not have yet (MultiheadAttention's is_causal on 1.13). */
  rejectNewerArguments(owner: string, sig: Signature, paramsSince: Readonly<Record<string, string>> | undefined, args: readonly Value[], kwargs: ReadonlyMap<string, Value>): void {
    if (!paramsSince) return;
    for (const [name, since] of Object.entries(paramsSince)) {
      if (this.has(since)) continue;
      const position = sig.params.findIndex((p) => p.name === name);
      if (kwargs.has(name) || (position >= 0 && position < args.length))
        throw new PyException("TypeError", `${owner}() got an unexpected keyword argument '${name}' (added in torch ${since}; the modelled torch is ${this.version})`);
    }
  }
}
