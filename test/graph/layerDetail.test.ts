// A node's label words its layer's settings as they read in a model's source, and an op by its short name.
import { describe, expect, it } from "vitest";
import { layerDetail } from "../../src/graph/layerDetail.js";
import { opShortName } from "../../src/analysis/graphRecorder.js";

describe("a layer's settings in its node's label", () => {
  it.each([
    [{ in_channels: 3, out_channels: 16, kernel_size: [3, 3], stride: [1, 1] }, "3→16, k3"],
    [{ in_channels: 16, out_channels: 32, kernel_size: [3, 1], stride: [2, 2] }, "16→32, k(3, 1), s2"],
    [{ in_channels: "C", out_channels: 64, kernel_size: [1, 1], stride: [1, 1] }, "C→64, k1"],
    [{ in_features: 512, out_features: 32 }, "512→32"],
    [{ num_embeddings: 1000, embedding_dim: 64 }, "1000×64"],
    [{ num_features: 16 }, "16"],
    [{ normalized_shape: [768] }, "768"],
    [{ embed_dim: 768, num_heads: 12 }, "768, 12 heads"],
    [{ kernel_size: 2, stride: 2 }, "k2"],
    [{ p: 0.5 }, "p=0.5"],
    [{}, ""],
  ])("%o reads %s", (settings, words) => {
    expect(layerDetail(settings)).toBe(words);
  });
});

describe("an op's short name", () => {
  it.each([
    ["torch.cat", "cat"],
    ["torch.nn.functional.relu", "relu"],
    ["Tensor.__add__", "add"],
    ["Tensor.__radd__", "add"],
    ["Tensor.__iadd__", "add_"],
    ["Tensor.__imatmul__", "matmul_"],
    ["Tensor.__invert__", "invert"],
    ["Tensor.__getitem__", "getitem"],
    ["einops.rearrange", "rearrange"],
  ])("%s is %s", (qualified, short) => {
    expect(opShortName(qualified)).toBe(short);
  });
});
