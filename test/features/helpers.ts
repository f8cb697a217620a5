/** Shared test helpers: Arrow tables from plain columns, the adult data, a plain average precision. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Table, vectorFromArray, makeVector, makeData, Float64, Utf8, type Vector } from 'apache-arrow';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function golden<T = any>(name: string): T {
  return JSON.parse(readFileSync(path.join(repoRoot, 'test/golden', name), 'utf8')) as T;
}

/** An Arrow table: number arrays become Float64 (null = missing), string arrays Utf8. */
export function tableOf(cols: Record<string, (number | null)[] | (string | null)[]>): Table {
  const vecs: Record<string, Vector> = {};
  for (const [k, v] of Object.entries(cols)) {
    const isNum = v.some((x) => typeof x === 'number');
    vecs[k] = isNum ? vectorFromArray(v as (number | null)[], new Float64()) : vectorFromArray(v as (string | null)[], new Utf8());
  }
  return new Table(vecs);
}

export const range = (a: number, b: number): Int32Array => Int32Array.from({ length: b - a }, (_, i) => a + i);

/** A Utf8 vector built straight from its buffers (the generic builder takes seconds at 50k rows). */
export function utf8Vector(values: (string | null)[]): Vector {
  const enc = new TextEncoder();
  const seen = new Map<string, Uint8Array>();
  const bytes = (v: string) => seen.get(v) ?? (seen.set(v, enc.encode(v)), seen.get(v)!);
  const parts = values.map((v) => (v === null ? new Uint8Array(0) : bytes(v)));
  const valueOffsets = new Int32Array(values.length + 1);
  parts.forEach((b, i) => (valueOffsets[i + 1] = valueOffsets[i] + b.length));
  const data = new Uint8Array(valueOffsets[values.length]);
  parts.forEach((b, i) => data.set(b, valueOffsets[i]));
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((v, i) => (v === null ? nullCount++ : (nullBitmap[i >> 3] |= 1 << (i & 7))));
  return makeVector(makeData({ type: new Utf8(), length: values.length, nullCount, nullBitmap, valueOffsets, data }));
}

/** The UCI adult data: all columns as strings ('?' = missing), numbers parsed, the official split. */
export function loadAdult(): { table: Table; split: string[]; y: Uint8Array } {
  const text = readFileSync(path.resolve(repoRoot, '../shared/data/adult/adult.csv'), 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  const header = lines[0].split(',');
  const cols: Record<string, (string | null)[]> = {};
  for (const h of header) cols[h] = [];
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i].split(',');
    for (let j = 0; j < header.length; j++) cols[header[j]].push(f[j] === '?' ? null : f[j]);
  }
  const numeric = new Set(['age', 'education_num', 'capital_gain', 'capital_loss', 'hours_per_week', 'row']);
  const vecs: Record<string, Vector> = {};
  // Numbers as plain Float64 (adult has no missing number); strings through the Utf8 builder.
  for (const h of header) vecs[h] = numeric.has(h) ? makeVector(Float64Array.from(cols[h], (s) => Number(s))) : utf8Vector(cols[h]);
  const y = Uint8Array.from(cols['income_gt_50k'], (s) => (s === '1' ? 1 : 0));
  return { table: new Table(vecs), split: cols['split'] as string[], y };
}

/** Average precision, step-wise as scikit-learn (ties form one threshold). */
export function ap(y: Uint8Array, s: Float64Array): number {
  const idx = Array.from(s.keys()).sort((a, b) => s[b] - s[a]);
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  let tp = 0, fp = 0, prevRecall = 0, sum = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    if (y[i]) tp++;
    else fp++;
    if (k + 1 < idx.length && s[idx[k + 1]] === s[i]) continue;
    const recall = tp / pos;
    sum += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return sum;
}

export const pick = <T>(a: ArrayLike<T>, rows: Int32Array): T[] => Array.from(rows, (i) => a[i]);
