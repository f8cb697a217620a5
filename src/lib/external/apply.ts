/**
 * Applying a model file to this council's extract: which column feeds each of the model's
 * inputs (by name, by a similar name, or as the analyst mapped it), what does not fit (levels the
 * model never saw, values that are not numbers), and the scores. The mapped extract is a new
 * Arrow table whose columns carry the model's input names, so the model's own preprocessing
 * runs unchanged on it.
 */
import { Float64, Table, type Vector, vectorFromArray } from 'apache-arrow';
import { type Result, ok, fail } from '../errors.ts';
import { numericColumn, stringColumn, type ColumnInfo } from '../data/schema.ts';
import { transform } from '../features/pipeline.ts';
import { OTHER_LEVEL } from '../features/pipeline.ts';
import type { ModelFile, ModelInput, RestoredModel } from './model-file.ts';
import { tableOfColumns } from '../data/arrow-vectors.ts';

export interface InputMatch {
  input: string;
  type: ModelInput['type'];
  /** This extract's column, or null when the input is not recorded here (treated as missing). */
  column: string | null;
  how: 'same name' | 'similar name' | 'mapped' | 'not recorded';
}

/** How a name is compared when looking for a similar one: case, spaces and punctuation ignored. */
export const looseName = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * The column for each model input: the analyst's mapping first (null = not recorded here), then
 * the same name, then the one column with a similar name. Fails naming the inputs left unmatched
 * and any mapping to a column the extract does not have.
 */
export function matchInputs(file: ModelFile, columns: readonly ColumnInfo[], mapping: Record<string, string | null> = {}): Result<InputMatch[]> {
  const names = new Set(columns.map((c) => c.name));
  const byLoose = new Map<string, string[]>();
  for (const c of columns) {
    const k = looseName(c.name);
    byLoose.set(k, [...(byLoose.get(k) ?? []), c.name]);
  }
  const has = (k: string) => Object.prototype.hasOwnProperty.call(mapping, k);
  for (const k of Object.keys(mapping)) {
    if (!file.inputs.some((i) => i.name === k)) return fail({ code: 'unknown-input', message: `the model has no input named '${k}'` });
  }
  const out: InputMatch[] = [];
  const unmatched: string[] = [];
  for (const input of file.inputs) {
    if (has(input.name)) {
      const col = mapping[input.name];
      if (col !== null && !names.has(col)) return fail({ code: 'missing-column', message: `there is no column named '${col}' (mapped to the model's input '${input.name}')`, column: col });
      out.push({ input: input.name, type: input.type, column: col, how: col === null ? 'not recorded' : 'mapped' });
    } else if (names.has(input.name)) out.push({ input: input.name, type: input.type, column: input.name, how: 'same name' });
    else {
      const similar = byLoose.get(looseName(input.name)) ?? [];
      if (similar.length === 1) out.push({ input: input.name, type: input.type, column: similar[0], how: 'similar name' });
      else unmatched.push(input.name);
    }
  }
  if (unmatched.length > 0) {
    const shown = unmatched.slice(0, 8).map((s) => `'${s}'`).join(', ');
    return fail({
      code: 'unmatched-inputs',
      message: `no column matches the model's input${unmatched.length === 1 ? '' : 's'} ${shown}${unmatched.length > 8 ? ', …' : ''}: map ${unmatched.length === 1 ? 'it' : 'them'} to a column, or mark ${unmatched.length === 1 ? 'it' : 'them'} as not recorded here`,
      column: unmatched[0],
    });
  }
  return ok(out);
}

/** A table with one column per model input, named as the model names it (all missing when not recorded). */
export function mappedTable(table: Table, matches: readonly InputMatch[]): Table {
  // Built from (name, vector) pairs: an input may be called `__proto__` (names are data, not keys).
  return tableOfColumns(matches.map((m) => [m.input, m.column !== null
    ? table.getChild(m.column)!
    : m.type === 'category' || m.type === 'text'
      ? vectorFromArray(new Array<string | null>(table.numRows).fill(null))
      : vectorFromArray(new Array<number | null>(table.numRows).fill(null), new Float64())] as const));
}

export interface InputProblem {
  input: string;
  column: string;
  /** Values of a category input the model does not know, with counts (most frequent first). */
  unknownLevels?: { value: string; count: number }[];
  /** Cases those values affect, in total. */
  unknownTotal?: number;
  /** Whether they are scored as the model's "(other)" level (else as no known level). */
  scoredAsOther?: boolean;
  /** Values of a number or date input that are not numbers (treated as missing). */
  notNumbers?: number;
  /** Missing values (the model imputes them as it was trained to). */
  missing: number;
}

/** What in the mapped columns (at `rows`) the model did not see in training. */
export function inputProblems(file: ModelFile, mapped: Table, matches: readonly InputMatch[], rows: Int32Array): InputProblem[] {
  const out: InputProblem[] = [];
  for (const m of matches) {
    if (m.column === null) continue;
    const input = file.inputs.find((i) => i.name === m.input)!;
    const text = stringColumn(mapped, m.input);
    let missing = 0;
    if (input.type === 'category') {
      const known = new Set(input.levels ?? []);
      const counts = new Map<string, number>();
      for (const i of rows) {
        const v = text[i];
        if (v === null || v === '') missing++;
        else if (!known.has(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const levels = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      const total = levels.reduce((s, l) => s + l.count, 0);
      out.push({ input: m.input, column: m.column, missing, ...(levels.length ? { unknownLevels: levels, unknownTotal: total, scoredAsOther: unknownAsOther(file, m.input) } : {}) });
    } else if (input.type === 'number' || input.type === 'date') {
      const nums = numericColumn(mapped, m.input);
      let notNumbers = 0;
      for (const i of rows) {
        if (Number.isFinite(nums[i])) continue;
        const v = text[i];
        if (v === null || v.trim() === '') missing++;
        else if (!Number.isFinite(Number(v))) notNumbers++;
        else missing++;
      }
      out.push({ input: m.input, column: m.column, missing, ...(notNumbers ? { notNumbers } : {}) });
    } else {
      for (const i of rows) if (!text[i]) missing++;
      out.push({ input: m.input, column: m.column, missing });
    }
  }
  return out;
}

/** Whether unknown levels of a category input become the model's "(other)" level. */
export function unknownAsOther(file: ModelFile, input: string): boolean {
  const c = file.preprocessing.categorical.find((s) => s.source === input);
  return !!c && c.other && c.levels.includes(OTHER_LEVEL);
}

/** The model's scores for `rows` of the mapped table. */
export function scoreRows(model: RestoredModel, mapped: Table, rows: Int32Array): Result<Float64Array> {
  const d = transform(model.pipeline, mapped, rows);
  if (!d.ok) return d;
  return ok(model.predict(d.value));
}
