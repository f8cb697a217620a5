/** Synthetic extracts as CSV, loaded by the real loader, and models fitted for export by the real run. */
import { loadTable, type LoadedTable } from '../../src/lib/data/load.ts';
import { sourceFromBytes } from '../../src/lib/data/source.ts';
import { stringColumn } from '../../src/lib/data/schema.ts';
import { rowsToCsv, type CsvValue } from '../../src/lib/data/write-csv.ts';
import { generateCases } from '../../src/lib/synth/generate.ts';
import { scenarioFrom, type PresetName } from '../../src/lib/synth/scenarios.ts';
import { runEvaluation } from '../../src/lib/run/evaluate-run.ts';
import type { EvaluateSpec } from '../../src/lib/run/spec.ts';
import type { Bundle } from '../../src/lib/bundle/schema.ts';
import type { FittedModel } from '../../src/lib/external/model-file.ts';

export async function loadCsv(name: string, text: string): Promise<LoadedTable> {
  const r = await loadTable(sourceFromBytes(name, new TextEncoder().encode(text)));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** A synthetic council's extract as CSV rows (header first), optionally only some rows, with extra columns. */
export function syntheticRows(preset: PresetName, rows: number, seed: number, overrides: Record<string, unknown> = {}): { header: string[]; rows: CsvValue[][] } {
  const { table } = generateCases(scenarioFrom(preset, { rows, seed, ...overrides }));
  const header = table.schema.fields.map((f) => f.name);
  const cols = header.map((h) => stringColumn(table, h));
  return { header, rows: Array.from({ length: table.numRows }, (_, i) => cols.map((c) => c[i])) };
}

export const csvOf = (header: string[], rows: CsvValue[][]): string => rowsToCsv(header, rows);

/** Evaluate with the export rules, keeping each fitted model. */
export async function fitForExport(data: LoadedTable, spec: EvaluateSpec): Promise<{ bundle: Bundle; fitted: FittedModel[] }> {
  const fitted: FittedModel[] = [];
  const r = await runEvaluation(data.table, data.columns, { ...spec, exportable: spec.exportable ?? true }, {
    name: 'development.csv',
    fingerprint: 'dev',
    createdAt: '2026-01-01T00:00:00Z',
    onFitted: (f) => fitted.push(f),
  });
  if (!r.ok) throw new Error(r.error.message);
  return { bundle: r.value, fitted };
}
