// Every message torchshape reports, as a template with named parameters, beside
// the code it belongs to (pyright's localize.ts in one file). Rules never build a
// message from free text: they call Message.someId({ ...params }), and the
// compiler checks the parameters against the template's placeholders. A test checks
// that every code has a template and every template a registered code.
import type { DiagnosticCode } from "./codes.js";
import { fillTemplate, type TemplateParams } from "./template.js";

interface MessageSpec {
  readonly code: DiagnosticCode;
  readonly template: string;
}

export const diagnosticMessages = {
  // ---------------------------------------------------------------- linear-in-features
  linearInFeatures: { code: "linear-in-features", template: "{layer} expects {expected} input features, but {tensor} has {actual}" },
  linearInFeaturesNoInput: {
    code: "linear-in-features",
    template: "{layer} expects {expected} input features, but {tensor} has {actual}, which no input size makes {expected}{why}",
  },
  linearInFeaturesFits: { code: "linear-in-features", template: "{layer} fits inputs of {fits}: it expects {expected} input features, and {tensor} has {actual}" },
  functionalLinearInFeatures: { code: "linear-in-features", template: "F.linear: weight {weight} expects {expected} input features, but {tensor} has {actual}" },
  bilinearInFeatures: { code: "linear-in-features", template: "{layer} expects {which} with {expected} features in its last dimension, but {tensor} has {actual}" },
  functionalBilinearInFeatures: { code: "linear-in-features", template: "F.bilinear: {which} {shape} has {actual} features, but the weight {weight} expects {expected}" },

  // ---------------------------------------------------------------- in-channels
  inChannels: { code: "in-channels", template: "{layer} expects {expected} input channels, but {tensor} has {actual} (shape {shape})" },
  functionalInChannels: { code: "in-channels", template: "{op}: weight of shape {weight}{groups} expects {expected} input channels, but {tensor} has {actual} (shape {shape})" },

  // ---------------------------------------------------------------- num-features
  numFeatures: { code: "num-features", template: "{layer} expects {expected} channels, but {tensor} has {actual} (shape {shape})" },
  groupNormDivisible: { code: "num-features", template: "{layer}: the {actual} channels of {tensor} are not divisible by num_groups={groups} (shape {shape})" },
  functionalNormFeatures: { code: "num-features", template: "{op}: {buffer} has {expected} features, but {tensor} has {actual} channels (shape {shape})" },
  functionalGroupNormDivisible: { code: "num-features", template: "F.group_norm: the {actual} channels of {tensor} are not divisible by num_groups={groups} (shape {shape})" },

  // ---------------------------------------------------------------- normalized-shape
  normalizedShape: { code: "normalized-shape", template: "{layer} normalizes the trailing dimensions [{expected}], but {tensor} ends in [{actual}] (shape {shape})" },
  functionalNormalizedShape: { code: "normalized-shape", template: "F.layer_norm: normalized_shape [{expected}] does not match the trailing dimensions of {tensor} (shape {shape})" },

  // ---------------------------------------------------------------- rnn-input-size
  rnnInputSize: { code: "rnn-input-size", template: "{layer} expects {expected} features in the last dimension, but {tensor} has {actual} (shape {shape})" },
  rnnInputSizeNoInput: { code: "rnn-input-size", template: "{layer} expects {expected} features in the last dimension, but {tensor} has {actual}, which no input size makes {expected}{why}" },
  rnnInputSizeFits: { code: "rnn-input-size", template: "{layer} fits inputs of {fits}: it expects {expected} features in the last dimension, and {tensor} has {actual}" },

  // ---------------------------------------------------------------- embed-dim
  attentionEmbedDim: { code: "embed-dim", template: "{layer} expects {which} with {expected} features in its last dimension, but {tensor} has {actual} (shape {shape})" },
  transformerDModel: { code: "embed-dim", template: "{layer} expects {which} with d_model={expected} features in its last dimension, but {tensor} has {actual} (shape {shape})" },
  transformerSrcTgtWidth: { code: "embed-dim", template: "{layer}: src has {src} features and tgt has {tgt}, but both must equal d_model={expected}" },

  // ---------------------------------------------------------------- embedding-index
  embeddingIndex: { code: "embedding-index", template: "{layer} expects integer indices (int64 or int32) as {what}, but {tensor} is a {dtype} tensor (shape {shape})" },
  functionalEmbeddingIndex: { code: "embedding-index", template: "F.embedding expects integer indices, but {tensor} is a {dtype} tensor (shape {shape})" },

  // ---------------------------------------------------------------- view-size
  viewTwoInferred: { code: "view-size", template: "{call}: only one dimension can be inferred (-1), but {count} are (shape of {tensor}: {shape})" },
  viewNegativeSize: { code: "view-size", template: "{call}: invalid size {size}; sizes must be -1 or non-negative" },
  viewInvalid: { code: "view-size", template: "{call}: the sizes [{sizes}] hold {product} elements, but {tensor} has {total} (shape {shape})" },
  viewInferredInvalid: { code: "view-size", template: "{call}: {tensor} has {total} elements (shape {shape}), which is not a multiple of {rest} = {restText}" },
  viewAssumedFeatures: {
    code: "view-size",
    template: "{call} assumes {assumed} features per sample, but {tensor} has {actual}: {consequence}",
  },
  unflattenTwoInferred: { code: "view-size", template: "{layer}: only one of the unflattened sizes can be -1" },
  unflattenNotDivisible: { code: "view-size", template: "{layer}: dimension {axis} of {tensor} has size {size}, which {known} does not divide (shape {shape})" },
  unflattenProduct: { code: "view-size", template: "{layer}: the sizes multiply to {known}, but dimension {axis} of {tensor} has size {size} (shape {shape})" },

  // ---------------------------------------------------------------- view-folds-batch
  viewFoldsBatch: {
    code: "view-folds-batch",
    template: "{call} assumes {assumed} features per sample, but {tensor} has {actual}: {consequence}",
  },
  viewKeepsBatchOnlyFor: {
    code: "view-folds-batch",
    template: "{call} keeps samples apart only for inputs of {fits}: it assumes {assumed} features per sample, and {tensor} has {perSample}; other sizes fold samples of the batch together or fail",
  },
  viewNeverKeepsBatch: {
    code: "view-folds-batch",
    template: "{call} assumes {assumed} features per sample, but {tensor} has {perSample}, which no input size makes {rest}{why}",
  },

  // ---------------------------------------------------------------- cat-shape
  catRank: { code: "cat-shape", template: "{op}: tensors must have the same number of dimensions, but {first} is {rank}-D ({firstShape}) and {other} is {otherRank}-D ({otherShape})" },
  catSize: {
    code: "cat-shape",
    template: "{op}: {other} has size {actual} in dimension {dim} where {first} has {expected}, and only dimension {axis} may differ (shapes {shapes})",
  },
  stackSize: { code: "cat-shape", template: "{op} expects tensors of equal shape, but {first} is {firstShape} and {other} is {otherShape}" },

  // ---------------------------------------------------------------- broadcast
  broadcast: {
    code: "broadcast",
    template: "{op}: {leftName} {left} and {rightName} {right} cannot broadcast: sizes {leftSize} and {rightSize} differ at dimension {dim}, and neither is 1",
  },
  broadcastInplace: { code: "broadcast", template: "{op}: the in-place result has shape {target}, but the operands broadcast to {shape}" },
  broadcastExpand: { code: "broadcast", template: "{op}: the expanded size {size} must match the existing size {existing} at dimension {dim} (target [{sizes}], tensor {shape})" },
  broadcastMatmulBatch: { code: "broadcast", template: "{op}: the batch dimensions of {left} and {right} cannot broadcast ({leftSize} vs {rightSize})" },
  broadcastAddProduct: { code: "broadcast", template: "{op}: input of shape {input} cannot broadcast to the product's shape {product}" },
  broadcastEinsumEllipsis: { code: "broadcast", template: "{op}: the \"...\" dimensions {left} and {right} cannot broadcast" },
  broadcastIndices: { code: "broadcast", template: "indexing tensors of shapes that cannot broadcast together ({leftSize} vs {rightSize})" },
  broadcastSetItem: { code: "broadcast", template: "a value of shape {value} cannot be assigned to an indexed region of shape {target}" },

  // ---------------------------------------------------------------- rank
  rank: { code: "rank", template: "{subject} expects {expected}, but {tensor} is {rank}-D (shape {shape})" },
  rankPair: { code: "rank", template: "{subject} expects {expected}, but got shapes {left} and {right}" },
  rankOperands: { code: "rank", template: "{subject} expects {expected}, but got shapes {shapes}" },
  rankState: { code: "rank", template: "{layer} expects {what} to be {expected}-D {shape}, but it is {rank}-D (shape {actual})" },
  rankAttentionSource: { code: "rank", template: "{layer}: for a {rank}-D query, {which} should also be {rank}-D, but it is {actual}-D (shape {shape})" },
  rankCatZeroDim: { code: "rank", template: "{op}: a zero-dimensional tensor (at position 0) cannot be concatenated" },
  rankPermute: { code: "rank", template: "{op}({dims}): {count} dims given for {tensor}, which is {rank}-D (shape {shape})" },
  rankRepeat: { code: "rank", template: "repeat: {count} repeat sizes for {tensor}, which is {rank}-D (shape {shape}); give at least {rank}" },
  rankEinsum: { code: "rank", template: "{op}: operand {index} has {rank} dimensions (shape {shape}), but its subscripts \"{subscripts}\" name {named}" },
  rankLenScalar: { code: "rank", template: "len() of a 0-D tensor" },

  // ---------------------------------------------------------------- index-range
  dimOutOfRange: { code: "index-range", template: "{op}({what}={dim}) on {tensor}, a {rank}-D tensor (shape {shape}): dimension out of range (expected [{low}, {high}])" },
  dimRepeated: { code: "index-range", template: "{op}({dims}): dim {dim} appears twice" },
  flattenOrder: { code: "index-range", template: "{op}: start_dim ({start}) comes after end_dim ({end}) for {tensor} of shape {shape}" },
  narrowRange: { code: "index-range", template: "narrow(dim={axis}, start={start}, length={length}) runs past the end of dimension {axis} of size {size} (shape {shape})" },
  unfoldSize: { code: "index-range", template: "unfold: a window of {size} does not fit dimension {axis} of size {length} (shape {shape})" },
  indexEllipsis: { code: "index-range", template: "an index can only have a single ellipsis ('...'), but got {index}" },
  indexTooMany: { code: "index-range", template: "too many indices: {count} indices into {tensor}, a {rank}-D tensor (shape {shape})" },
  indexOutOfBounds: { code: "index-range", template: "index {index} is out of bounds for dimension {axis} of size {size} (shape {shape})" },
  indexSliceStep: { code: "index-range", template: "slice step must be positive, but got {step} (indexing a tensor of shape {shape})" },
  indexMaskShape: { code: "index-range", template: "a mask of shape {mask} does not match the indexed tensor's shape {shape} at dimension {axis}" },
  indexDType: { code: "index-range", template: "tensors used as indices must be long, int, byte or bool tensors, but got {dtype}" },
  sizeOutOfRange: { code: "index-range", template: "{op}({dim}) of {tensor}, a {rank}-D tensor (shape {shape}): dimension out of range (expected [{low}, {high}])" },
  splitSizePositive: { code: "index-range", template: "{op}: split_size must be positive, but got {size}" },
  chunksPositive: { code: "index-range", template: "chunk expects chunks to be greater than 0, but got {chunks}" },
  topkRange: { code: "index-range", template: "topk(k={k}) on dimension {axis} of size {size} (shape {shape}): k is out of range" },

  // ---------------------------------------------------------------- matmul-shape
  matmulInner: { code: "matmul-shape", template: "{op}: cannot multiply {left} by {right}: the last dimension of {leftName} ({leftSize}) must equal the {rightWhat} of {rightName} ({rightSize})" },
  matmulVectors: { code: "matmul-shape", template: "{op}: cannot multiply 1-D tensors of sizes {leftSize} and {rightSize}" },
  matmulBatch: { code: "matmul-shape", template: "{op}: the batch sizes of {left} and {right} differ" },
  einsumSubscript: { code: "matmul-shape", template: "{op}: subscript '{letter}' has size {size} in operand {index} (shape {shape}), but size {seen} elsewhere" },
  attentionQueryKey: { code: "matmul-shape", template: "scaled_dot_product_attention: query {query} and key {key} differ in the embedding dimension ({left} vs {right})" },

  // ---------------------------------------------------------------- output-size
  outputSize: { code: "output-size", template: "{layer}: input {input} is too small for kernel {kernel}{settings}: the output would be {output}" },
  outputSizeEmptyInput: { code: "output-size", template: "{layer}: input {shape} has an empty spatial dimension" },
  outputSizeEmpty: { code: "output-size", template: "{layer}: input {input} gives an empty output {output}" },
  outputSizePadding: { code: "output-size", template: "{layer}: padding ({before}, {after}) of dimension {axis} of size {size} leaves size {result} (shape {shape})" },
  outputSizeFunctionalPad: { code: "output-size", template: "F.pad: padding {padding} gives a negative size for {tensor} of shape {shape}" },
  outputSizeBlocks: { code: "output-size", template: "{layer}: input {input} is too small for kernel {kernel}{settings}: {blocks} blocks" },
  outputSizeFoldOutput: { code: "output-size", template: "{layer}: output_size {output} is too small for kernel {kernel}: {blocks} blocks" },

  // ---------------------------------------------------------------- shape-mismatch
  poolPadding: { code: "shape-mismatch", template: "{layer}: padding should be at most half of the kernel size, but got padding {padding} for kernel {kernel}" },
  unpoolIndices: { code: "shape-mismatch", template: "{layer}: indices of shape {indices} do not match the input of shape {shape}" },
  outputSizeLength: { code: "shape-mismatch", template: "{layer}: output_size should have {expected} elements, but it has {actual}" },
  unpoolOutputSize: { code: "shape-mismatch", template: "{layer}: invalid output_size {sizes} (dimension {dim} must be between {low} and {high})" },
  padOddLength: { code: "shape-mismatch", template: "{subject}: the padding must have an even number of values, but it has {count}" },
  upsampleMode: { code: "shape-mismatch", template: "{layer}: unknown mode '{mode}'" },
  upsampleAlignCorners: { code: "shape-mismatch", template: "{layer}: align_corners can only be set with the interpolating modes linear, bilinear, bicubic and trilinear (mode is '{mode}')" },
  upsampleBothSizes: { code: "shape-mismatch", template: "{subject}: only one of size or scale_factor should be given" },
  upsampleNoSize: { code: "shape-mismatch", template: "{subject}: either size or scale_factor should be given" },
  upsampleSizeLength: { code: "shape-mismatch", template: "{subject}: the input has {count} spatial dimensions {spatial}, but the {what} has {entries} entries" },
  gluOdd: { code: "shape-mismatch", template: "F.glu halves dimension {axis}, but its size {size} is odd" },
  einsumOperandCount: { code: "shape-mismatch", template: "{op}: the equation has {subscripts} operand subscripts, but {operands} operands were given" },
  einsumSubscriptInvalid: { code: "shape-mismatch", template: "{op}: invalid subscript '{letter}'" },
  einsumOutputSubscript: { code: "shape-mismatch", template: "{op}: output subscript '{letter}' does not appear in the inputs" },
  paddingSameStrided: { code: "shape-mismatch", template: "{op}: padding='same' is not supported for strided convolutions (stride {stride})" },
  functionalPadLength: { code: "shape-mismatch", template: "F.pad: the padding must have an even number of values, at most twice the rank, but it has {count} for a {rank}-D input of shape {shape}" },
  stateShape: { code: "shape-mismatch", template: "{layer} expects {what} of shape {expected}, but got {actual}" },
  lstmStatePair: { code: "shape-mismatch", template: "{layer} expects hx to be a pair (h_0, c_0), but got {actual}" },
  attentionBatch: { code: "shape-mismatch", template: "{layer}: query has batch size {query} but {which} has {other}" },
  attentionKeyValueLength: { code: "shape-mismatch", template: "{layer}: key has sequence length {key} but value has {value}" },
  attentionMask: { code: "shape-mismatch", template: "{layer} expects {which} of shape {allowed}, but got {shape}" },
  transformerBatch: { code: "shape-mismatch", template: "{layer}: src has batch size {src} (shape {srcShape}) but tgt has {tgt} (shape {tgtShape})" },
  divisibleChannels: { code: "shape-mismatch", template: "{layer} needs {what} divisible by {divisor}, but {tensor} has {actual} (shape {shape})" },
  foldColumns: { code: "shape-mismatch", template: "{layer}: dimension {axis} of {tensor} ({columns}) must be divisible by the kernel's {kernel} = {area} elements (shape {shape})" },
  foldBlocks: { code: "shape-mismatch", template: "{layer} expects {blocks} = {expected} blocks in dimension {axis}, but {tensor} has {actual} (shape {shape})" },
  splitSizes: { code: "shape-mismatch", template: "{op}: split sizes [{sizes}] add up to {sum}, but dimension {axis} of {tensor} has size {total} (shape {shape})" },
  movedimCounts: { code: "shape-mismatch", template: "movedim: source ({source} dims) and destination ({destination} dims) must name the same number of dims" },
  emptyTensorList: { code: "shape-mismatch", template: "{op}() expects a non-empty list of tensors" },
  negativeSize: { code: "shape-mismatch", template: "{op}: cannot create a tensor with negative dimension {size} (size {sizes})" },
  expandTooFew: { code: "shape-mismatch", template: "{op}: {count} sizes given for a {rank}-D tensor (shape {shape}); give at least {rank}" },
  padReflect: { code: "shape-mismatch", template: "{subject}: padding ({before}, {after}) must be less than the size {size} of dimension {axis} (shape {shape})" },
  cdistColumns: { code: "shape-mismatch", template: "cdist: x1 {left} and x2 {right} must have the same number of columns ({leftSize} vs {rightSize})" },
  keyValueLength: { code: "shape-mismatch", template: "scaled_dot_product_attention: key {key} and value {value} differ in sequence length ({left} vs {right})" },
  bagOffsetsWith2D: { code: "shape-mismatch", template: "{layer}: a 2-D input is a batch of fixed-length bags, so offsets must be None" },
  bagOffsetsMissing: { code: "shape-mismatch", template: "{layer}: a 1-D input needs offsets, a 1-D tensor of the bags' starting positions" },
  perSampleWeights: { code: "shape-mismatch", template: "{layer}: per_sample_weights of shape {weights} must have the shape of the input {shape}" },

  // ---------------------------------------------------------------- einops-pattern
  einopsPattern: { code: "einops-pattern", template: "{subject}: {error}" },
  einopsRank: { code: "einops-pattern", template: "{subject}: '{left}' names {expected} dimensions, but {tensor} is {rank}-D (shape {shape})" },
  einopsGroups: { code: "einops-pattern", template: "{subject} cannot split {tensor} (shape {shape}) as '{left}': {faults}" },
  einopsGroupsFit: { code: "einops-pattern", template: "{subject} fits inputs of {fits}: it splits {tensor} (shape {shape}) as '{left}', and {faults}" },
  einopsGroupsNever: { code: "einops-pattern", template: "{subject} cannot split {tensor} (shape {shape}) as '{left}' for any input size: {faults}{why}" },

  // ---------------------------------------------------------------- input-comment
  unreadableComment: { code: "input-comment", template: "this torchshape comment is ignored: {reason}" },

  // ---------------------------------------------------------------- budget
  budgetExceeded: { code: "budget", template: "{model}: {figure} {value} is over its budget {figure}<={limit} ({declaredAt}), by {percent}%" },
  budgetSymbolic: { code: "budget", template: "{model}: {figure} is {value}, which depends on the input's sizes; give a concrete input to check its budget {figure}<={limit} ({declaredAt})" },
  budgetUnknown: { code: "budget", template: "{model}: {figure} is not known, so its budget {figure}<={limit} ({declaredAt}) was not checked" },

  // ---------------------------------------------------------------- build-error, analysis-limit, analysis-gap
  buildError: { code: "build-error", template: "building {model} raised {type}: {detail}" },
  analysisLimit: { code: "analysis-limit", template: "analysis of {model} stopped: {reason}" },
  analysisGap: {
    code: "analysis-gap",
    template: "torchshape could not follow the code that builds {model} (in {where}; its evaluator stopped on {type}: {detail}), so {model} was not checked",
  },

  // ---------------------------------------------------------------- annotation
  annotationReturn: { code: "annotation", template: "{function} returns {actual} but is annotated {annotated}{detail}" },
  annotationArgument: { code: "annotation", template: "{function}: argument {argument} is {actual} but is annotated {annotated}{detail}" },
  annotationAssign: { code: "annotation", template: "{target} is {actual} but is annotated {annotated}{detail}" },
  annotationBinding: { code: "annotation", template: "{function}: dimension '{name}' is {first} in {firstWhere} but {second} in {secondWhere}" },
  annotationFits: { code: "annotation", template: "{what} matches its annotation {annotated} only for inputs of {fits}: it is {actual}" },
  annotationHoldsWhen: { code: "annotation", template: "{what} matches its annotation {annotated} only when {condition}: it is {actual}" },
  annotationSyntax: { code: "annotation-syntax", template: "shape annotation cannot be read: {reason}; it is ignored" },
} as const satisfies Readonly<Record<string, MessageSpec>>;

type Registry = typeof diagnosticMessages;
export type MessageId = keyof Registry;

/** A filled template: what a rule reports. */
export interface DiagnosticMessage {
  readonly id: MessageId;
  readonly code: DiagnosticCode;
  readonly text: string;
}

type MessageFactories = { readonly [I in MessageId]: (params: TemplateParams<Registry[I]["template"]>) => DiagnosticMessage };

/** Message.linearInFeatures({ layer, expected, tensor, actual }) → the filled message with its code. */
export const Message = Object.fromEntries(
  (Object.keys(diagnosticMessages) as MessageId[]).map((id) => {
    const spec: MessageSpec = diagnosticMessages[id];
    return [id, (params: Readonly<Record<string, string | number>>): DiagnosticMessage => ({ id, code: spec.code, text: fillTemplate(spec.template, params) })];
  }),
) as unknown as MessageFactories;

/** The messages of related locations: where else to look. */
export const relatedMessages = {
  tensorArrives: "the tensor arrives here",
  sharesAssumption: "{layer} shares the assumption of {size} input features",
  sharesAssumptionClause: "{layer} shares the assumption",
  foldProven: "{op} meets the true batch of {batch} here",
  raisedHere: "{type} raised here",
  notFollowedHere: "torchshape could not follow this line",
  annotatedHere: "annotated {annotated} here",
  boundHere: "'{name}' is {size} here",
  foldProvenClause: "{op} on line {line} meets the true batch of {batch}, so the fold is certain",
} as const;

/** Clauses that complete a message ("its 4 × 392 = 1568 elements do not divide into rows of 512"). */
export const clauseMessages = {
  guessedInput: "this holds for the input shape {shape}, which was guessed: give the input with a `# torchshape: input=...` comment to be sure",
  viewRemainder: "its {batch} × {perSample} = {total} elements do not divide into rows of {rest}",
  viewFolds: "its {batch} × {perSample} = {total} elements make {rows} rows of {rest}, so rows mix samples of the batch ({batch} samples become {rows} rows)",
  viewFoldsSymbolic: "its {batch} × {perSample} elements fill rows of {rest} only when {batch} is a multiple of {multiple}, and then rows mix samples of the batch",
  einopsIndivisible: "{length} is not divisible by {divisor} (dimension {dim} into {group})",
  einopsProduct: "{length} is not {divisor} (dimension {dim} as {group})",
  einopsDivisibleWhen: "{length} must be a multiple of {divisor} (dimension {dim} into {group})",
} as const;

/** Suggested fixes ("help:" lines). */
export const fixMessages = {
  correctedLayer: "{replacement}, or {lazy} to take the size from the first input",
  linearShares: "{name}: {replacement} (or {lazy})",
  linearSharesLazy: "{name}: {lazy}",
  replaceWith: "{replacement}",
  viewKeepBatch: "{flatten} (or {viewBatch}) to keep the batch dimension",
  embeddingIndexLong: "convert the indices with .long()",
  budgetReduce: "reduce the model's {figure}, or raise the budget if the growth is intended",
  einopsSizes: "use an input of {sizes}",
  einopsDimension: "make dimension {dim} of {tensor} {sizes} (a multiple of {divisor})",
  einopsDivisors: "{axes} in {divisors}",
} as const;

type TextFactories<R extends Readonly<Record<string, string>>> = { readonly [K in keyof R]: (params: TemplateParams<R[K]>) => string };

function textFactories<R extends Readonly<Record<string, string>>>(registry: R): TextFactories<R> {
  return Object.fromEntries(Object.entries(registry).map(([id, template]) => [id, (params: Readonly<Record<string, string | number>>) => fillTemplate(template, params)])) as unknown as TextFactories<R>;
}

export const Related = textFactories(relatedMessages);
export const Clause = textFactories(clauseMessages);
export const Fix = textFactories(fixMessages);
