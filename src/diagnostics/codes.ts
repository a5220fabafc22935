// Every diagnostic names one of these codes; each has a one-line description
// (shown by `torchshape check --list-codes` and in SARIF rule metadata).
export const diagnosticCodes = {
  "linear-in-features": "A Linear layer receives a last dimension other than its in_features.",
  "in-channels": "A convolution receives a channel count other than its in_channels.",
  "num-features": "A batch, group or instance norm receives a channel count other than its num_features.",
  "normalized-shape": "A LayerNorm's normalized_shape does not match the trailing dimensions of its input.",
  "rnn-input-size": "A recurrent layer receives a feature size other than its input_size.",
  "embed-dim": "An attention layer receives an embedding size other than its embed_dim.",
  "embedding-index": "An Embedding receives a floating-point tensor instead of integer indices.",
  "view-size": "A view or reshape asks for a size that cannot hold the tensor's elements.",
  "view-folds-batch": "view(-1, K) only works by folding samples of the batch together.",
  "cat-shape": "Tensors concatenated or stacked differ outside the concatenation dimension.",
  broadcast: "An elementwise operation on shapes that cannot broadcast.",
  rank: "An operation receives a tensor of the wrong number of dimensions.",
  "index-range": "A dimension or index is out of range for the tensor.",
  "matmul-shape": "A matrix product of shapes whose inner dimensions differ.",
  "output-size": "A convolution or pooling whose output would be empty.",
  "shape-mismatch": "A layer receives an input whose shape it cannot take.",
  annotation: "A tensor's shape differs from its shape annotation (jaxtyping, torchtyping, Shape(...)), or one dimension name stands for two sizes in one call.",
  "annotation-syntax": "A shape annotation that cannot be read (jaxtyping's dimension string, torchtyping's TensorType, Shape(...)); it is ignored.",
  "einops-pattern": "An einops pattern (rearrange, reduce, repeat, einsum, pack, Rearrange, Reduce, EinMix) that the tensor's shape or the given axis sizes cannot satisfy.",
  "build-error": "Building the model raised an exception.",
  "input-comment": "A `# torchshape:` comment that cannot be read (a malformed input shape, an unknown dtype or a malformed budget); it is ignored.",
  budget: "A model's parameters, flops, mult-adds or memory grew past the budget its `# torchshape: budget=` comment or [tool.torchshape.budget] declares.",
  "analysis-limit": "The analysis stopped at its time or step budget.",
  "analysis-gap": "torchshape could not follow library code (its evaluator stopped on an exception the code does not raise itself), so a model was not checked.",
} as const;

export type DiagnosticCode = keyof typeof diagnosticCodes;

