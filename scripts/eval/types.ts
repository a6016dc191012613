export interface EvalTable {
  columns: string[];
  rows: Array<Array<string | number>>;
  notes?: string[];
}

export interface EvalSection {
  name: string;
  run(corpus: string): Promise<EvalTable>;
}
