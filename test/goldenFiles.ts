// What a golden file (scripts/make_goldens.py) holds per model.
export interface GoldenRow {
  name: string;
  type: string;
  params: number;
  trainable_params: number;
  input_shape: unknown;
  output_shape: unknown;
  depth: number;
}

export interface GoldenModel {
  name: string;
  /** one shape per forward argument; a list argument is the list of its shapes */
  inputs: unknown[];
  layers: GoldenRow[];
  output_shape: unknown;
  total_params: number;
  trainable_params: number;
}
