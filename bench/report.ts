/**
 * bench/RESULTS.md from bench/results.json: machine facts, where each target stands, and one
 * table per section with the scikit-learn / pandas figure from the same run and the ratio
 * Candour / reference (below 1 = Candour faster). Missing or failed sections say so.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- results.json is the runner's own loose JSON */
type Any = any;

const s1 = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
const sec = (ms: number | null | undefined, d = 2) => (ms === null || ms === undefined ? '—' : (ms / 1000).toFixed(d));
const int = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : Math.round(x).toLocaleString('en-GB'));
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? (a / b).toFixed(2) : '—');
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const status = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? '**met**' : '**not met**');

function failed(sectionData: Any): string | null {
  if (!sectionData) return 'Not run.';
  if (sectionData.error) return `Failed in this run: \`${String(sectionData.error).split('\n')[0].slice(0, 300)}\``;
  return null;
}
const earlier = (d: Any) => (d?.fromEarlierRun ? `\n\n_From an earlier run (${d.fromEarlierRun}); the load average then is in results.json._` : '');

interface ModelRatio {
  label: string;
  wall: number;
  cpu: number | null;
}

function modelRatios(train: Any): ModelRatio[] {
  const out: ModelRatio[] = [];
  if (!train || train.error) return out;
  for (const t of train.tabular ?? []) {
    for (const r of t.results ?? []) {
      for (const [name, q] of Object.entries<Any>(r.ratios ?? {})) {
        if (name === 'baseline') continue;
        out.push({ label: `${name} ${int(r.n)} rows (${name === 'mlp' ? `tfjs ${t.backend}` : (r.ours[name]?.engine ?? '')})`, wall: q.wall, cpu: q.cpu });
      }
    }
  }
  for (const g of train.gbdt ?? []) out.push({ label: `gbdt ${int(g.rows)} rows (vs 1 thread)`, wall: g.ratio1, cpu: g.jsCpuSeconds / g.sk1.cpuSeconds });
  return out;
}

export function renderMarkdown(results: Any): string {
  const m = results.machine;
  const S = results.sections ?? {};
  const lines: string[] = [];
  const push = (...xs: string[]) => {
    for (const x of xs) lines.push(x, '');
  };

  push(
    '# Benchmarks',
    `Written by \`${results.command}\` (bench/run.js) on ${m.date.slice(0, 16).replace('T', ' ')} UTC; raw figures in \`bench/results.json\`. ` +
      `Ratios are Candour / scikit-learn (or pandas) on the same data in the same run: below 1 means Candour is faster. ` +
      `Cheap measurements are the median of ${results.runs} runs; the expensive ones (200k+ rows, training, end to end) ran once, as marked.`,
  );
  push(
    '## Machine',
    table(
      ['fact', 'value'],
      [
        ['cores', `${m.cores} (${m.cpuModel})`],
        ['memory', `${m.memoryGB} GB (${m.memoryInUseGBAtStart ?? '—'} GB in use at start)`],
        ['Node', m.node],
        ['Chromium', m.chromium ?? 'not found'],
        ['Python / scikit-learn / pandas', `${m.python} / ${m.sklearn} / ${m.pandas}`],
        ['load average (1, 5, 15 min) at start', m.loadAverage.join(', ')],
        ['load average at end', (m.loadAverageAtEnd ?? []).join(', ')],
        ['suite wall time', `${int(results.totalSeconds)} s`],
      ],
    ),
    `**The machine was shared during this run**: a load average of ${m.loadAverage[0]} on ${m.cores} cores means each process got roughly ` +
      `${Math.min(1, m.cores / Math.max(m.loadAverage[0], 1)).toFixed(2)} of a core. Wall-clock times are therefore several times what a quiet machine gives; ` +
      'CPU times (given beside them) are the steadier figure, and ratios against scikit-learn from the same run are fairer than absolute times ' +
      '(both sides waited for cores, though not necessarily equally).',
  );

  // ---- targets
  const e2e = S.e2e && !S.e2e.error ? S.e2e : null;
  const chromium = e2e?.chromium && !e2e.chromium.error ? e2e.chromium : null;
  const csv1m = (S.load?.rows ?? []).find((r: Any) => r.rows === 1_000_000 && r.format === 'csv');
  const ratios = modelRatios(S.train);
  const worstWall = ratios.length ? Math.max(...ratios.map((r) => r.wall)) : null;
  const worstCpu = ratios.filter((r) => r.cpu !== null).length ? Math.max(...ratios.map((r) => r.cpu ?? 0)) : null;
  push(
    '## Targets (issue 12)',
    table(
      ['target', 'measured', 'status'],
      [
        [
          '24k rows end to end (load, logistic + boosted trees, 1000-replicate intervals, 4-attribute audit) < 10 s in Chromium',
          chromium
            ? `${sec(chromium.totalMs ?? chromium.results?.[0]?.totalMs, 1)} s (load ${sec(chromium.results?.[0]?.loadMs, 1)} s, evaluate ${sec(chromium.results?.[0]?.evaluateMs, 1)} s)` +
              (chromium.results?.[0]?.status !== 'done' ? `; the run ended in an error, not results: ${chromium.results?.[0]?.error}` : '')
            : 'no Chromium figure in this run',
          chromium ? status((chromium.totalMs ?? Infinity) < 10_000) : status(null),
        ],
        [
          '1M x 40 CSV loaded in a worker < 15 s',
          csv1m ? `${s1(csv1m.seconds, 1)} s in Node (${s1(csv1m.mbPerS, 0)} MB/s, peak ${s1(csv1m.peakGB)} GB); not yet measured in a browser worker` : 'not measured (the 1M files need `--full`)',
          csv1m ? `${status(csv1m.seconds < 15)} (Node, not a worker)` : status(null),
        ],
        [
          'each model trains within 2x of scikit-learn',
          ratios.length ? ratios.map((r) => `${r.label}: ${s1(r.wall)} (CPU ${s1(r.cpu)})`).join('; ') : 'no training figures',
          worstWall === null ? status(null) : `${status(worstWall <= 2)} by wall time${worstCpu !== null ? `; ${status(worstCpu <= 2)} by CPU time` : ''}`,
        ],
        [
          'no main-thread task > 200 ms',
          chromium ? `longest ${int(chromium.longestTaskMs)} ms; ${int(chromium.results?.[0]?.longTasks?.over200ms)} tasks over 200 ms, ${int(chromium.results?.[0]?.longTasks?.count)} over 50 ms during the run` : 'no Chromium figure',
          chromium ? status(chromium.longestTaskMs <= 200) : status(null),
        ],
      ],
    ),
  );

  // ---- load
  lines.push('## Load', '');
  const lf = failed(S.load);
  if (lf) push(lf);
  else {
    push(
      `Where: ${S.load.where}. Peak memory is the process's maximum resident set (Node's includes its own ~0.1 GB). pandas: \`read_csv\`, \`read_excel\` (openpyxl); ` +
        'it has no Arrow or Parquet reader without pyarrow/fastparquet, which this machine lacks.' + earlier(S.load),
      table(
        ['rows', 'format', 'MB', 'runs', 'Candour s (CPU s)', 'MB/s', 'rows/s', 'peak GB', 'pandas s', 'pandas MB/s', 'pandas peak GB', 'ratio'],
        S.load.rows.map((r: Any) => [
          int(r.rows),
          r.format,
          s1(r.bytes / 1e6, 1),
          String(r.runs),
          `${s1(r.seconds)} (${s1(r.cpuSeconds)})`,
          s1(r.mbPerS, 1),
          int(r.rowsPerS),
          s1(r.peakGB),
          r.pandas?.seconds ? s1(r.pandas.seconds) : r.pandas?.unavailable ? 'n/a' : '—',
          s1(r.pandas?.mbPerS, 1),
          s1(r.pandas?.peakGB),
          s1(r.ratio),
        ]),
      ),
    );
  }

  // ---- train
  lines.push('## Train', '');
  const tf = failed(S.train);
  if (tf) push(tf);
  else {
    push(
      'bench/train.bench.ts: seeded synthetic design (150 columns: 20 standardised numbers, 130 binary), 70% train. ' +
        'Logistic regression C=1 both sides (Candour: typed-array Newton/L-BFGS; scikit-learn lbfgs); MLP 64 hidden, Adam, batch 256, ' +
        `${S.train.tabular?.[0]?.mlpEpochs ?? 20} epochs fixed on both sides (Candour on tfjs, per backend). Baseline = the prevalence. AP on the 30% held out.` +
        earlier(S.train),
      table(
        ['rows', 'model', 'engine', 'Candour s (CPU s)', 'scikit-learn s (CPU s)', 'ratio wall', 'ratio CPU', 'AP Candour', 'AP scikit-learn', 'load avg'],
        (S.train.tabular ?? []).flatMap((t: Any) =>
          (t.results ?? []).flatMap((r: Any) =>
            Object.entries<Any>(r.ours).map(([name, o]) => [
              int(r.n),
              name,
              name === 'mlp' ? `tfjs ${t.backend}` : o.engine,
              `${sec(o.wallMs)} (${sec(o.cpuMs)})`,
              `${sec(r.sklearn[name]?.wallMs)} (${sec(r.sklearn[name]?.cpuMs)})`,
              s1(r.ratios[name]?.wall),
              s1(r.ratios[name]?.cpu),
              s1(o.ap, 4),
              s1(r.sklearn[name]?.ap, 4),
              s1(r.loadAverage1m, 1),
            ]),
          ),
        ),
      ),
      'Gradient boosting (bench/gbdt.bench.ts): 150 features like the encoded extract, against `HistGradientBoostingClassifier()` defaults; ' +
        'the ratio is against scikit-learn on one thread (OMP_NUM_THREADS=1), like single-threaded JavaScript' +
        (results.full ? ', and against its default threads.' : '; its default-threads run is skipped unless `--full` (OpenMP threads spin on a crowded machine).'),
      table(
        ['training rows', 'Candour s (CPU s)', 'trees', 'AP', 'scikit-learn 1 thread s (CPU s)', 'trees', 'AP', 'ratio', 'scikit-learn default threads s', 'ratio'],
        (S.train.gbdt ?? []).map((g: Any) => [
          int(g.rows),
          `${s1(g.jsSeconds)} (${s1(g.jsCpuSeconds)})`,
          String(g.jsIterations),
          s1(g.jsAp, 4),
          `${s1(g.sk1.fitSeconds)} (${s1(g.sk1.cpuSeconds)})`,
          String(g.sk1.iterations),
          s1(g.sk1.ap, 4),
          s1(g.ratio1),
          g.sk ? s1(g.sk.fitSeconds) : 'skipped',
          s1(g.ratio),
        ]),
      ),
    );
  }

  // ---- logistic regression alone (issue 20)
  if (S.logistic) {
    lines.push('## Logistic regression alone, before and after (issue 20)', '');
    const lf = failed(S.logistic);
    if (lf) push(lf);
    else {
      const after = (S.logistic.rows ?? []).filter((r: Any) => r.side === 'after' && (r.sklearnThreads ?? 'default') === 'default');
      const met = after.length > 0 && after.every((r: Any) => r.ratioWall <= 1);
      push(
        '`npm run bench -- --only logistic [--logistic-before DIR]`: bench/train.bench.ts `--models logistic` (the design of the Train section; ' +
          'C=1; Candour: typed arrays in Node, one thread, no tfjs backend involved; scikit-learn: `LogisticRegression(C=1.0, max_iter=1000)`, lbfgs, ' +
          'with numpy\'s default BLAS threads (on 2 cores its CPU time can be twice its wall time) and again with one thread). ' +
          'Each run is a fresh process and scikit-learn fits the same matrices right after Candour; ' +
          'figures are medians over the runs, ratios the median of the per-run ratios. "before" is an earlier commit checked out beside this one and run in ' +
          'alternation with it (same load). Candour solves to the optimum (test/models/logistic-bench.test.ts: within 1e-6 of scikit-learn\'s exact ' +
          'solution at this design\'s size; here it also computes the standard errors); scikit-learn\'s default stops short of it: "max coef difference" is the largest difference between the two fits\' coefficients. ' +
          `Target: at or below scikit-learn's wall time (default threads) at 24k and 200k rows: ${status(after.length ? met : null)} by the medians (each run below the table).` +
          earlier(S.logistic),
        table(
          ['rows (train)', 'code', 'scikit-learn threads', 'runs', 'Candour s (CPU s)', 'iterations', 'scikit-learn s (CPU s)', 'iterations', 'ratio wall', 'ratio CPU', 'max coef difference', 'load avg'],
          (S.logistic.rows ?? []).map((r: Any) => [
            `${int(r.n)} (${int(r.nTrain)})`,
            `${r.side} (${r.commit})`,
            r.sklearnThreads ?? 'default',
            String(r.runs),
            `${sec(r.oursWallMs)} (${sec(r.oursCpuMs)})`,
            String(r.iterations),
            `${sec(r.sklearnWallMs)} (${sec(r.sklearnCpuMs)})`,
            String(r.sklearnIterations),
            s1(r.ratioWall),
            s1(r.ratioCpu),
            r.coefMaxDiffVsSklearn === null ? '—' : r.coefMaxDiffVsSklearn.toExponential(1),
            s1(r.loadAverage1m, 1),
          ]),
        ),
        // Medians hide how much scikit-learn's time moves with the load (its BLAS threads wait
        // for cores): each run's figures, for the code measured now.
        'Each run (after): ' +
          (S.logistic.rows ?? [])
            .filter((r: Any) => r.side === 'after' && r.perRun)
            .map((r: Any) => {
              const slower = r.perRun.filter((q: Any) => q.wallMs > q.sklearnWallMs);
              const span = (xs: number[]) => `${sec(Math.min(...xs))}–${sec(Math.max(...xs))} s`;
              return (
                `${int(r.n)} rows, scikit-learn threads ${r.sklearnThreads ?? 'default'}: Candour ${span(r.perRun.map((q: Any) => q.wallMs))}, ` +
                `scikit-learn ${span(r.perRun.map((q: Any) => q.sklearnWallMs))}; Candour slower in ${slower.length} of ${r.perRun.length} runs` +
                (slower.length ? ` (load ${slower.map((q: Any) => s1(q.loadAverage1m, 1)).join(', ')})` : '')
              );
            })
            .join('; ') +
          '.',
      );
    }
  }

  // ---- text
  lines.push('## Train with and without 2^16 hashed text', '');
  const xf = failed(S.text);
  if (xf) push(xf);
  else {
    push(
      'bench/train-text.bench.ts: a synthetic extract with a case-note column; the default pipeline plus the note as hashed TF-IDF (2^16 columns, sparse), ' +
        'scikit-learn fitting the identical design (dense block hstacked with the sparse TF-IDF). `logistic-text` uses the text block; `logistic` and `mlp` do not.' +
        earlier(S.text),
      table(
        ['rows (train)', 'model', 'text nnz', 'Candour s (CPU s)', 'scikit-learn s (CPU s)', 'ratio wall', 'ratio CPU'],
        (S.text.rows ?? []).flatMap((r: Any) =>
          Object.entries<Any>(r.ours).map(([name, o]) => [
            `${int(r.rows)} (${int(r.nTrain)})`,
            name,
            int(r.textNnz),
            `${sec(o.wallMs)} (${sec(o.cpuMs)})`,
            `${sec(r.sklearn[name]?.wallMs)} (${sec(r.sklearn[name]?.cpuMs)})`,
            s1(r.ratios[name]?.wall),
            s1(r.ratios[name]?.cpu),
          ]),
        ),
      ),
    );
  }

  // ---- evaluate
  lines.push('## Evaluate (metrics + 1000-replicate bootstrap + fairness audit of 4 attributes)', '');
  const ef = failed(S.evaluate);
  if (ef) push(ef);
  else {
    push(
      'bench/audit.bench.ts: `runAudit` (as `candour audit`) over outcome, score, child ID and 4 group columns (15 subgroups): AP, ROC AUC, Brier, operating points, ' +
        'a cluster bootstrap over children, per-group metrics and disparities with intervals. bench/sklearn/audit.py does the same with scikit-learn metrics in a ' +
        'loop; a 1000-replicate scikit-learn loop takes minutes (hours at 1M), so it runs a few replicates and is extrapolated linearly (marked). ' +
        'Where Candour ran fewer than 1000 replicates (1M rows without `--full`), its 1000-replicate time is extrapolated from that run and a point-estimates-only run.' +
        earlier(S.evaluate),
      table(
        ['rows', 'replicates run', 'Candour s (CPU s)', 'Candour at 1000 replicates s (CPU s)', 'peak MB', 'scikit-learn s (replicates run)', 'scikit-learn at 1000 s (extrapolated)', 'ratio'],
        (S.evaluate.audit ?? []).map((a: Any) => [
          int(a.rows),
          String(a.replicates),
          `${sec(a.ours.wallMs)} (${sec(a.ours.cpuMs)})`,
          `${sec(a.wallMs1000)} (${sec(a.cpuMs1000)})${a.replicates < 1000 ? ' extrapolated' : ''}`,
          int(a.ours.peakRssMB),
          `${s1(a.sklearn.secondsMeasured)} (${a.sklearn.replicatesRun})`,
          s1(a.sklearn.secondsExtrapolated, 0),
          s1(a.ratio, 3),
        ]),
      ),
    );
    const pool = S.evaluate.pool ?? [];
    const main1m = (S.evaluate.audit ?? []).find((a: Any) => a.rows === pool[0]?.rows);
    if (pool.length > 0)
      push(
        'The same audit with its bootstrap in a pool of worker threads (`--workers N`: `runAuditAsync`, src/lib/pool): the report is identical whatever N ' +
          '(test/pool/pool.test.ts); point estimates stay in the main thread. CPU time is the whole process\'s (all threads). ' +
          'Target: 1M rows, 1000 cluster-bootstrap replicates, 4 attributes ≤ 20 s in Node.',
        table(
          ['rows', 'replicates run', 'workers', 'Candour s (CPU s)', 'at 1000 replicates s (CPU s)', 'peak MB', 'load average after', 'target ≤ 20 s'],
          [
            ...(main1m ? [[int(main1m.rows), String(main1m.replicates), '0 (main thread)', `${sec(main1m.ours.wallMs)} (${sec(main1m.ours.cpuMs)})`, `${sec(main1m.wallMs1000)} (${sec(main1m.cpuMs1000)})${main1m.replicates < 1000 ? ' extrapolated' : ''}`, int(main1m.ours.peakRssMB), (main1m.ours.loadAverage ?? []).join(' '), status(main1m.wallMs1000 <= 20_000)]] : []),
            ...pool.map((p: Any) => [
              int(p.rows),
              String(p.replicates),
              String(p.workers),
              `${sec(p.ours.wallMs)} (${sec(p.ours.cpuMs)})`,
              `${sec(p.wallMs1000)} (${sec(p.cpuMs1000)})${p.replicates < 1000 ? ' extrapolated' : ''}`,
              int(p.ours.peakRssMB),
              (p.ours.loadAverage ?? []).join(' '),
              status(p.wallMs1000 <= 20_000),
            ]),
          ],
        ),
      );
    const history = results.history?.audit1m ?? [];
    if (history.length > 0)
      push(
        'Before and after, 1M-row audit (bench/history.json: measured by hand with the command shown, on this machine, with the load average at the time):',
        table(
          ['when', 'code', 'command', 'replicates run', 's (CPU s)', 'load average', 'note'],
          history.map((h: Any) => [h.date, h.code, `\`${h.command}\``, String(h.replicates), `${s1(h.wallS, 1)} (${s1(h.cpuS, 1)})`, (h.loadAverage ?? []).join(' '), h.note ?? '']),
        ),
      );
    const c = S.evaluate.components;
    if (c)
      push(
        `Components at ${int(c.n)} cases (bench/evaluate.bench.ts, best of 3-5): \`evaluateScores\` with ${c.replicates} replicates ${sec(c.evaluateScores.wallMs)} s ` +
          `(CPU ${sec(c.evaluateScores.cpuMs)} s), clustered ${sec(c.evaluateScoresClustered.wallMs)} s, point estimates ${c.pointEstimatesOnly.wallMs} ms, ` +
          `AP + AUC over 1M scores ${c.averagePrecisionPlusRocAucMillion.wallMs} ms; machine yardstick (sum of 24M doubles) ${c.sum24MDoubles.wallMs} ms against ${c.sum24MDoubles.quietMachineMs} ms quiet.`,
      );
  }

  // ---- end to end
  lines.push('## End to end, 24k rows', '');
  const ff = failed(S.e2e);
  if (ff) push(ff);
  else {
    const r0 = chromium?.results?.[0];
    push(
      `Data: \`${S.e2e.file}\` (\`candour synth --rows 24000 --seed 1\`, 25 columns). Question: logistic regression and boosted trees, temporal split on referral date, ` +
        'child ID for the bootstrap, 1000 replicates, subgroup audit of gender, ethnicity group, disability and deprivation decile.' + earlier(S.e2e),
    );
    if (chromium) {
      push(
        `**Chromium** (${chromium.browser}, headless, no GPU): ${chromium.driver}. The app's own "your data" flow (Data/Question/Models pages) was being finished ` +
          "while this was written, so the bench page starts the same compute worker (`workers/client.ts`) and calls `loadFile` then `evaluate` while the main thread animates a spinner; " +
          'the clock runs from the file input\'s change event to the results written into the page.',
        table(
          ['measure', 'value'],
          [
            ['choose file -> results', r0?.status === 'done' ? `${sec(chromium.totalMs)} s` : `${sec(r0?.totalMs)} s, then failed: ${r0?.error}`],
            ['phases (first report, s after choosing the file)', (r0?.phases ?? []).map((p: Any) => `${p.phase} ${sec(p.atMs, 1)}`).join(', ')],
            ['loadFile (read, type, fingerprint)', `${sec(r0?.loadMs)} s`],
            ['evaluate (fit, score, bootstrap, audit)', `${sec(r0?.evaluateMs)} s`],
            ['worker start + backend init (before the clock)', `${sec(r0?.initMs)} s (${r0?.backend})`],
            ['longest main-thread task during the run', `${int(r0?.longTasks?.longestMs)} ms`],
            ['main-thread tasks > 50 ms / > 200 ms', `${int(r0?.longTasks?.count)} / ${int(r0?.longTasks?.over200ms)}`],
            ['spinner frames drawn', `${int(r0?.frames)} (${r0?.totalMs ? s1((r0.frames / r0.totalMs) * 1000, 1) : '—'} per second)`],
            ['load average (1 min) after', String(chromium.loadAverage?.[0] ?? '—')],
          ],
        ),
      );
    } else push(`**Chromium**: no figure (${S.e2e.chromium?.error?.split('\n')[0] ?? 'not run'}).`);
    const cli = S.e2e.cli;
    if (cli)
      push(
        `**Node, \`candour evaluate\`** (same file, same question, one process): ${sec(cli.wallMs)} s wall. Progress lines with their time since start: ` +
          cli.phases.map((p: Any) => `${p.line} @${sec(p.atMs, 1)} s`).join('; ') + '.',
      );
    const sk = S.e2e.sklearn;
    if (sk)
      push(
        `**pandas + scikit-learn** (bench/sklearn/e2e.py, OMP_NUM_THREADS=1): ${s1(sk.secondsMeasured, 1)} s with ${sk.replicatesRun} bootstrap replicates, ` +
          `${s1(sk.secondsExtrapolated, 1)} s extrapolated to 1000; steps: ` +
          Object.entries<Any>(sk.steps).map(([k, v]) => `${k} ${s1(v)} s`).join(', ') +
          `. Ratio Candour Chromium / scikit-learn (at 1000 replicates): ${chromium?.totalMs ? ratio(chromium.totalMs / 1000, sk.secondsExtrapolated) : '—'}; ` +
          `Candour Node / scikit-learn: ${cli ? ratio(cli.wallMs / 1000, sk.secondsExtrapolated) : '—'}.`,
      );
  }

  push(
    '## Reproduce',
    '```\nnpm run bench                      # default sizes (24k, 200k; 1M only for the audit, at 100 replicates)\nnpm run bench -- --full            # adds 1M rows everywhere and the slow cases\nnpm run bench -- --only e2e,text   # some sections; the others are kept from the previous results.json\nnpm run bench -- --render          # re-write this file from results.json\n```',
  );
  return lines.join('\n');
}
