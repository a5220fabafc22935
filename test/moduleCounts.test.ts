// Every module's parameter counts, made once bottom-up where a subtree shares nothing, are
// what counting its parameters() tensor by tensor gives (shared and tied tensors once):
// across trees, a layer under two parents, a tensor tied between two layers, a layer
// repeated in one Sequential, frozen and unsized parameters, and chains hundreds deep.
import { describe, expect, it } from "vitest";
import { startSession } from "../src/analysis/session.js";
import { countParams, moduleCounts } from "../src/analysis/moduleCounts.js";
import { moduleParameters, namedModules } from "../src/torch/module.js";
import type { ObjectValue } from "../src/eval/values.js";

const source = `
import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self, shared):
        super().__init__()
        self.own = nn.Linear(4, 4)
        self.shared = shared
        self.norm = nn.LayerNorm(4)

class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(10, 4)
        self.head = nn.Linear(4, 10, bias=False)
        self.head.weight = self.embed.weight

shared = nn.Linear(4, 4)
frozen = nn.Linear(4, 2)
for p in frozen.parameters():
    p.requires_grad = False
tree = nn.Sequential(nn.Linear(3, 4), nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8)), frozen)
sharing = nn.Sequential(Block(shared), Block(shared), nn.Sequential(Block(shared)), Tied())
repeated = nn.Sequential(shared, shared, nn.ReLU(), shared)
unsized = nn.Sequential(nn.LazyLinear(4), nn.Sequential(nn.Linear(4, 4)))
chain = nn.Linear(2, 2)
for _ in range(600):
    chain = nn.Sequential(chain, nn.Linear(2, 2))
shared_chain = shared
for _ in range(600):
    shared_chain = nn.Sequential(shared_chain, shared)
mixed = nn.ModuleDict({"a": tree, "b": sharing, "c": nn.ModuleList([repeated, unsized])})
`;

const session = startSession("/tmp/torchshape-module-counts.py", { source });
const model = (name: string) => session.main.scope.vars.get(name) as ObjectValue;
const reference = (m: ObjectValue) => countParams(moduleParameters(m).map(([, p]) => p));

describe("module parameter counts", () => {
  for (const name of ["tree", "sharing", "repeated", "unsized", "chain", "shared_chain", "mixed"]) {
    it(`${name}: every module's counts are its parameters()' counts`, () => {
      const countsOf = moduleCounts(model(name), session.interp);
      const wrong = namedModules(model(name)).flatMap(([path, m]) => {
        const [ours, theirs] = [countsOf(m), reference(m)];
        return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [`${path || "(root)"}: ${JSON.stringify(ours)} instead of ${JSON.stringify(theirs)}`];
      });
      expect(wrong).toEqual([]);
    });
  }

  it("the figures the reference gives are the ones PyTorch prints for these modules", () => {
    // sum(p.numel() for p in m.parameters()) in PyTorch 1.13: tree 230, sharing 190 (shared 20 once, three own 20 + norms 8, tied 40 once), repeated 20
    expect([reference(model("tree")).total, reference(model("sharing")).total, reference(model("repeated")).total]).toEqual([16 + 224 + 16 + 10, 20 + 3 * 28 + 40, 20]);
    expect(reference(model("tree")).trainable).toBe(16 + 224 + 16);
  });

  it("past the time budget, a module above a shared one is unknown with a note; the model's own total is still counted", () => {
    const interp = session.interp;
    interp.renewBudget(-1);
    const root = model("shared_chain");
    const countsOf = moduleCounts(root, interp);
    expect(countsOf(root)).toEqual(reference(root));
    const inner = namedModules(root)[1][1];
    expect(countsOf(inner).total).toBeUndefined();
    expect(interp.notes.map((n) => n.message)).toContain("the parameter counts of modules above a shared layer or tensor were not all made within the time budget; those left are unknown");
  });
});
