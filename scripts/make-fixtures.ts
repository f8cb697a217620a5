/**
 * The nasty-file corpus for the loaders: `npx tsx scripts/make-fixtures.ts`
 * writes each file into test/fixtures/ with the expected outcome beside it in
 * manifest.json (cell by cell as text, or the error with row and column).
 * `--big` also writes test/fixtures/generated/big-200mb.csv (git-ignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface FixtureCase {
  file: string;
  /** Expected cells as stringColumn gives them (dates as ms since epoch), by column; or the error. */
  expect: { columns: Record<string, (string | null)[]>; types?: Record<string, string>; issues?: string[]; encoding?: string } | { error: { code: string; row?: number; column?: string } };
}

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);
// Date cells come back from stringColumn as ms since epoch (Arrow DateMillisecond values are numbers).
const iso = (y: number, m: number, d: number, hh = 0, mm = 0) => String(Date.UTC(y, m - 1, d, hh, mm));

function utf16(s: string, le: boolean): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2);
  out.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 + 2 * i + (le ? 0 : 1)] = c & 0xff;
    out[2 + 2 * i + (le ? 1 : 0)] = c >> 8;
  }
  return out;
}

function cp1252(s: string): Uint8Array {
  const map: Record<string, number> = { '£': 0xa3, 'é': 0xe9, '“': 0x93, '”': 0x94, '‘': 0x91, '’': 0x92, '€': 0x80, '–': 0x96 };
  return Uint8Array.from([...s].map((ch) => map[ch] ?? ch.charCodeAt(0)));
}

/** Deterministic pseudo-random bytes (no Math.random: the corpus must be reproducible). */
function junk(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const people = { name: ['René', 'Zoë O’Neil', 'Sam'], note: ['£5 “ok”', 'it’s – fine', '€10'] };

export const CASES: [FixtureCase, Uint8Array][] = [
  [{ file: 'quoted.csv', expect: { columns: { a: ['x, y', 'line1\nline2', 'say "hi"'], b: ['1', '2', '3'] } } }, bytes('a,b\n"x, y",1\n"line1\nline2",2\n"say ""hi""",3\n')],
  [{ file: 'semicolon.csv', expect: { columns: { a: ['1,5', '2'], b: ['x', 'y'] } } }, bytes('a;b\n1,5;x\n2;y\n')],
  [{ file: 'tabs.tsv', expect: { columns: { a: ['1', '2'], b: ['x y', 'z'] } } }, bytes('a\tb\n1\tx y\n2\tz\n')],
  [{ file: 'pipes.csv', expect: { columns: { a: ['1', '2'], b: ['x', 'y'] } } }, bytes('a|b\n1|x\n2|y\n')],
  [{ file: 'bom-utf8.csv', expect: { columns: { name: people.name }, encoding: 'utf-8' } }, Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes('name\n' + people.name.join('\n') + '\n')])],
  [{ file: 'utf16le.csv', expect: { columns: { name: people.name, note: people.note }, encoding: 'utf-16le' } }, utf16('name,note\r\n' + people.name.map((n, i) => `${n},${people.note[i]}`).join('\r\n') + '\r\n', true)],
  [{ file: 'utf16be.csv', expect: { columns: { name: people.name, note: people.note }, encoding: 'utf-16be' } }, utf16('name,note\n' + people.name.map((n, i) => `${n},${people.note[i]}`).join('\n'), false)],
  [{ file: 'windows-1252.csv', expect: { columns: { name: people.name, note: people.note }, encoding: 'windows-1252' } }, cp1252('name,note\r\n' + people.name.map((n, i) => `${n},${people.note[i]}`).join('\r\n') + '\r\n')],
  [{ file: 'cr-only.csv', expect: { columns: { a: ['1', '2'], b: ['x', 'y'] } } }, bytes('a,b\r1,x\r2,y\r')],
  [{ file: 'missing.csv', expect: { columns: { n: ['1', null, null, null, null, '6'], s: ['a', null, 'b', null, 'c', null] }, types: { n: 'number', s: 'category' } } }, bytes('n,s\n1,a\nNA,NA\nN/A,b\nNULL,NULL\n,c\n6,\n')],
  [{ file: 'uk-dates.csv', expect: { columns: { d: [iso(2021, 4, 3), iso(2021, 4, 5), iso(2021, 4, 5, 13, 45), null] }, types: { d: 'date' } } }, bytes('d\n03/04/2021\n2021-04-05\n05/04/2021 13:45\n\n')],
  [{ file: 'us-dates.csv', expect: { columns: { d: ['03/04/2021', '04/25/2021'] }, issues: ['us-date-order'] } }, bytes('d\n03/04/2021\n04/25/2021\n')],
  [{ file: 'ragged.csv', expect: { columns: { a: ['1', '4', '6'], b: ['2', null, '7'], c: ['3', null, '8'] }, issues: ['short-row', 'long-row', 'extra-cells'] } }, bytes('a,b,c\n1,2,3\n4\n6,7,8,9\n')],
  [{ file: 'codes-numbers.csv', expect: { columns: { code: ['01', '02', '10'], mixed: ['2A', '10', '3B'], n: ['1234', '12345678.5', '7'], p: ['45', '3.5', '0'] }, types: { code: 'code', mixed: 'code', n: 'number', p: 'number' } } }, bytes('code,mixed,n,p\n01,2A,"1,234",45%\n02,10,"12,345,678.5",3.5%\n10,3B,7,0%\n')],
  [{ file: 'truncated.csv', expect: { error: { code: 'unterminated-quote', row: 3, column: 'note' } } }, bytes('id,note\n1,"fine"\n2,"this note was cut off mid-')],
  [{ file: 'junk.csv', expect: { error: { code: 'not-text' } } }, junk(8192)],
  [{ file: 'empty.csv', expect: { error: { code: 'empty-file' } } }, new Uint8Array(0)],
  [{ file: 'header-only.csv', expect: { error: { code: 'no-rows', row: 2 } } }, bytes('a,b,c\r\n')],
  [{ file: 'blank-lines-only.csv', expect: { error: { code: 'empty-file' } } }, bytes('\n\n\n')],
];

/** A large CSV of `rows` rows x 40 columns (numbers, categories, UK dates, codes), deterministic. */
export function bigCsvChunks(rows: number, each: (chunk: string) => void): void {
  const sexes = ['Male', 'Female', 'Not stated'];
  const eth = ['WBRI', 'WIRI', 'MWBC', 'AIND', 'BAFR', 'OOTH', 'REFU'];
  const head: string[] = [];
  for (let j = 0; j < 40; j++) head.push(j < 25 ? `num_${j}` : j < 35 ? `cat_${j}` : j < 38 ? `date_${j}` : `code_${j}`);
  each(head.join(',') + '\n');
  let x = 1;
  const r = () => (x = (Math.imul(x, 48271) >>> 0) % 2147483647) / 2147483647;
  let buf: string[] = [];
  for (let i = 0; i < rows; i++) {
    const row: string[] = [];
    for (let j = 0; j < 40; j++) {
      if (j < 25) row.push(j % 3 === 0 ? String(Math.floor(r() * 100)) : (r() * 1000).toFixed(3));
      else if (j < 35) row.push(j % 2 ? sexes[Math.floor(r() * 3)] : eth[Math.floor(r() * 7)]);
      else if (j < 38) row.push(`${String(1 + Math.floor(r() * 28)).padStart(2, '0')}/${String(1 + Math.floor(r() * 12)).padStart(2, '0')}/20${10 + Math.floor(r() * 14)}`);
      else row.push(String(Math.floor(r() * 50)).padStart(2, '0'));
    }
    buf.push(row.join(','));
    if (buf.length === 5000) {
      each(buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) each(buf.join('\n') + '\n');
}

function main(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const dir = path.join(root, 'test', 'fixtures');
  mkdirSync(dir, { recursive: true });
  for (const [c, b] of CASES) writeFileSync(path.join(dir, c.file), b);
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(CASES.map(([c]) => c), null, 1) + '\n');
  if (process.argv.includes('--big')) {
    const gen = path.join(dir, 'generated');
    mkdirSync(gen, { recursive: true });
    const parts: string[] = [];
    // ~250 bytes a row: 800k rows is about 200 MB.
    bigCsvChunks(800_000, (s) => parts.push(s));
    writeFileSync(path.join(gen, 'big-200mb.csv'), parts.join(''));
  }
  process.stdout.write(`wrote ${CASES.length} fixtures to test/fixtures${process.argv.includes('--big') ? ' and the 200 MB file to test/fixtures/generated' : ''}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) main();
