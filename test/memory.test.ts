// --memory-budget: a training step's memory as a polynomial in the symbolic batch N,
// solved for the largest batch. Its terms are checked against real PyTorch's goldens
// (the rows' output shapes and the parameter count at batch 1), and its activations
// against what autograd really saved for backward (fixtures/compute/saved_activations.json,
// recorded by scripts/measure_saved_activations.py).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { largestBatch, parseByteSize } from "../src/compute/memory.js";
import { dimAdd, dimMul, SymDim } from "../src/shapes/dim.js";
import { torchvisionFolder } from "./torchvisionSources.js";

const root = join(import.meta.dirname, "..");
const torchvision = torchvisionFolder() ?? "torchvision's sources not found";

interface Golden {
  models: { layers: { type: string; output_shape: unknown }[]; total_params: number; inputs: number[][] }[];
}

/** Elements of every tensor of an output (tuples in full), from a golden's output_shape. */
function elements(shape: unknown): number {
  if (shape === null) return 0;
  if (Array.isArray(shape) && shape.every((d) => typeof d === "number")) return shape.reduce((p: number, d: number) => p * d, 1);
  return (shape as unknown[]).reduce((s: number, x) => s + elements(x), 0);
}

function memoryOf(args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin", "torchshape.cjs"), ...args, "--format", "json"], { cwd: root, encoding: "utf8", timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout).models[0].memory;
}

/**
 * The per-sample and fixed bytes the goldens imply (batch 1 in the golden), in `bytes` per element;
 * rows of the types given as in place (built with inplace=True in that source) allocate nothing.
 */
function expected(goldenPath: string, bytes: number, inPlaceTypes: readonly string[] = []) {
  const g = (JSON.parse(readFileSync(goldenPath, "utf8")) as Golden).models[0];
  const activations = g.layers.reduce((s, l) => (inPlaceTypes.includes(l.type) ? s : s + elements(l.output_shape)), 0) * bytes;
  const input = g.inputs.reduce((s, i) => s + i.reduce((p, d) => p * d, 1), 0) * bytes;
  const params = g.total_params * bytes;
  return { perSample: activations + input, sgd: 2 * params, adam: 4 * params, activations };
}

describe("--memory-budget", () => {
  it("parses sizes and refuses what is not one", () => {
    expect(parseByteSize("24GB")).toBe(24e9);
    expect(parseByteSize("8 GiB")).toBe(8 * 2 ** 30);
    expect(parseByteSize("1500mb")).toBe(1.5e9);
    for (const bad of ["banana", "-1GB", "0", "12XB", ""]) expect(parseByteSize(bad)).toBeUndefined();
  });

  it("solves a total linear in N, and claims nothing for one that is not", () => {
    const n = SymDim.variable("N");
    expect(largestBatch(dimAdd(dimMul(100, n), 50), 1050, "N")).toBe(10);
    expect(largestBatch(dimAdd(dimMul(100, n), 50), 100, "N")).toBe(0);
    expect(largestBatch(dimMul(dimMul(n, n), 4), 1000, "N")).toBeUndefined();
  });

  it("gives the article's terms and batches, in float32 and bf16", () => {
    const article = join(root, "fixtures", "models", "article_net.py");
    for (const [dtype, bytes] of [["float32", 4], ["bf16", 2]] as const) {
      const m = memoryOf([article, "--memory-budget", "24GB", "--dtype", dtype]);
      const e = expected(join(root, "fixtures", "models", "article_net.golden.json"), bytes);
      expect(m.activations_bytes).toBe(`${e.activations} * N`);
      expect(m.total_bytes).toEqual({ sgd: `${e.perSample} * N + ${e.sgd}`, adam: `${e.perSample} * N + ${e.adam}` });
      expect(m.largest_batch).toEqual({ sgd: Math.floor((24e9 - e.sgd) / e.perSample), adam: Math.floor((24e9 - e.adam) / e.perSample) });
      expect(m.estimate).toBe(true);
    }
  });

  it("gives resnet50's at 224 with a symbolic batch", () => {
    expect(existsSync(join(torchvision, "models", "resnet.py")), "torchvision's sources").toBe(true);
    const m = memoryOf([join(torchvision, "models", "resnet.py"), "--model", "resnet50()", "--input", "1,3,224,224", "--memory-budget", "24GB"]);
    // torchvision's ResNet builds every ReLU with inplace=True; its residual add is `out += identity`
    const e = expected(join(root, "fixtures", "torchvision", "resnet50.golden.json"), 4, ["ReLU"]);
    expect(m.batch).toBe("N");
    expect(m.total_bytes.adam).toBe(`${e.perSample} * N + ${e.adam}`);
    expect(m.largest_batch).toEqual({ sgd: Math.floor((24e9 - e.sgd) / e.perSample), adam: Math.floor((24e9 - e.adam) / e.perSample) });
  });

  it("counts the tensors operations between layers allocate, and not views or in-place results", () => {
    const m = memoryOf([join(root, "fixtures", "models", "op_outputs.py"), "--memory-budget", "1GB"]);
    // layers: the conv's [8,16,16] and the head's [10]; the ReLU is built in place
    expect(m.layer_outputs_bytes).toBe(`${(8 * 16 * 16 + 10) * 4} * N`);
    // y + x [8,16,16]; cat [16,16,16]; z[:, order] [16,16,16]; .half() and .float() [4096] each; softmax [4096]
    // (a same-dtype .float(), +=, F.relu(inplace=True), .view and s[:, :] allocate nothing; float16 counts in float32 here)
    expect(m.operation_outputs_bytes).toBe(`${(8 * 16 * 16 + 2 * 16 * 16 * 16 + 3 * 4096) * 4} * N`);
    expect(m.activations_rule).toContain("views and in-place operations do not");
  });

  it("estimates activations within 30% above what autograd saved for backward in real PyTorch", () => {
    const saved = JSON.parse(readFileSync(join(root, "fixtures", "compute", "saved_activations.json"), "utf8")) as Record<string, { saved_bytes_per_sample: number }>;
    const runs: Record<string, string[]> = {
      article_net: [join(root, "fixtures", "models", "article_net.py")],
      resnet50: [join(torchvision, "models", "resnet.py"), "--model", "resnet50()", "--input", "1,3,224,224"],
      vit_b_16: [join(torchvision, "models", "vision_transformer.py"), "--model", "vit_b_16()", "--input", "1,3,224,224"],
    };
    for (const [name, args] of Object.entries(runs)) {
      const perSample = Number(/^(\d+) \* N$/.exec(memoryOf([...args, "--memory-budget", "24GB"]).activations_bytes)?.[1]);
      const ratio = perSample / saved[name].saved_bytes_per_sample;
      expect(ratio, name).toBeGreaterThanOrEqual(1);
      expect(ratio, name).toBeLessThanOrEqual(1.3);
    }
  });
});
