/**
 * Load throughput in Node: MB/s, rows/s and peak memory for CSV, Arrow IPC,
 * Parquet and Excel at 24k, 200k (and with --full 1M) rows x 40 columns.
 *   npx tsx bench/load.bench.ts [--full | --sizes 24000,200000]
 *   npx tsx bench/load.bench.ts --prepare 24000   (writes the files, prints their paths as JSON)
 *   npx tsx bench/load.bench.ts --one FILE        (one measurement, one JSON line)
 * Excel is written only up to 200k rows (a sheet holds at most 1,048,576 rows, and no council
 * extract of a million rows arrives as a workbook).
 * Each measurement runs in its own process so peak RSS is its own.
 * Files go to bench/out/ (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { loadTable } from '../src/lib/data/load.ts';
import { sourceFromPath } from '../src/cli/node-source.ts';
import { numericColumn, stringColumn } from '../src/lib/data/schema.ts';
import { bigCsvChunks } from '../scripts/make-fixtures.ts';
import { xlsxBytes, type XlsxCell } from '../src/lib/data/xlsx-write.ts';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'bench', 'out');

async function one(file: string): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await loadTable(sourceFromPath(file));
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  if (!r.ok) throw new Error(r.error.message);
  const size = statSync(file).size;
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ file: path.basename(file), rows: r.value.report.rows, bytes: size, seconds: s, cpuSeconds: (cpu.user + cpu.system) / 1e6, mbPerS: size / 1e6 / s, rowsPerS: r.value.report.rows / s, peakGB: peak / 1e9 }) + '\n');
}

async function prepare(rows: number): Promise<string[]> {
  mkdirSync(out, { recursive: true });
  const csv = path.join(out, `load-${rows}.csv`);
  if (!existsSync(csv)) {
    const w = createWriteStream(csv);
    bigCsvChunks(rows, (s) => w.write(s));
    await new Promise<void>((res) => w.end(res));
  }
  const arrow = path.join(out, `load-${rows}.arrow`);
  const parquet = path.join(out, `load-${rows}.parquet`);
  if (!existsSync(arrow) || !existsSync(parquet)) {
    const r = await loadTable(sourceFromPath(csv));
    if (!r.ok) throw new Error(r.error.message);
    writeFileSync(arrow, tableToIPC(r.value.table, 'file'));
    const columnData = r.value.columns.map((c) => {
      if (c.type === 'number') return { name: c.name, data: Array.from(numericColumn(r.value.table, c.name), (x) => (x === x ? x : null)), type: 'DOUBLE' as const };
      if (c.type === 'date') return { name: c.name, data: Array.from(numericColumn(r.value.table, c.name), (x) => (x === x ? new Date(x) : null)), type: 'TIMESTAMP' as const };
      return { name: c.name, data: stringColumn(r.value.table, c.name), type: 'STRING' as const };
    });
    writeFileSync(parquet, new Uint8Array(parquetWriteBuffer({ columnData })));
  }
  if (rows > 200_000) return [csv, arrow, parquet];
  const xlsx = path.join(out, `load-${rows}.xlsx`);
  if (!existsSync(xlsx)) {
    const r = await loadTable(sourceFromPath(csv));
    if (!r.ok) throw new Error(r.error.message);
    const cols = r.value.columns.map((c) =>
      c.type === 'number' ? Array.from(numericColumn(r.value.table, c.name), (x): XlsxCell => (x === x ? x : null))
      : c.type === 'date' ? Array.from(numericColumn(r.value.table, c.name), (x): XlsxCell => (x === x ? new Date(x) : null))
      : stringColumn(r.value.table, c.name));
    function* sheetRows(): Generator<XlsxCell[]> {
      yield r.ok ? r.value.columns.map((c) => c.name) : [];
      for (let i = 0; i < rows; i++) yield cols.map((c) => c[i]);
    }
    writeFileSync(xlsx, xlsxBytes([{ name: 'extract', rows: sheetRows() }]));
  }
  return [csv, arrow, parquet, xlsx];
}

const argv = process.argv.slice(2);
const sizesFlag = argv.indexOf('--sizes');
if (argv[0] === '--one') await one(argv[1]);
else if (argv[0] === '--prepare') process.stdout.write(JSON.stringify({ files: await prepare(Number(argv[1])) }) + '\n');
else {
  const sizes = sizesFlag >= 0 ? argv[sizesFlag + 1].split(',').map(Number) : argv.includes('--full') ? [24_000, 200_000, 1_000_000] : [24_000, 200_000];
  const results: unknown[] = [];
  for (const rows of sizes) {
    for (const file of await prepare(rows)) {
      const line = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'load.bench.ts'), '--one', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      process.stdout.write(line);
      results.push(JSON.parse(line));
    }
  }
  writeFileSync(path.join(out, 'load.json'), JSON.stringify({ node: process.version, loadavg: readFileSync('/proc/loadavg', 'utf8').trim(), results }, null, 1));
}
