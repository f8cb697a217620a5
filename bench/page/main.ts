/**
 * A bench page over the app's own compute worker (workers/client.ts): choosing a file runs
 * loadFile -> evaluate (models, 1000-replicate intervals, subgroup audit) while the main thread
 * animates a spinner, as the app does. The run's timings go to `window.__bench` for
 * bench/e2e.bench.ts; the spec comes from the URL's `spec` parameter (JSON), so the Node side
 * decides the question.
 */
import './style.css';
import { startComputeWorker, progressCallback } from '../../workers/client.ts';
import type { Progress } from '../../workers/api.ts';
import type { EvaluateSpec } from '../../src/lib/run/spec.ts';

interface BenchOutcome {
  status: 'done' | 'failed' | 'cancelled';
  error?: string;
  initMs: number;
  backend: string;
  /** From the input's change event to the result written into the page. */
  totalMs: number;
  loadMs: number;
  evaluateMs: number;
  rows: number;
  frames: number;
  progressEvents: number;
  /** When each phase was first reported, ms after the file was chosen. */
  phases: { phase: string; atMs: number }[];
  models: { model: string; features: string | null; averagePrecision: number | null; rocAuc: number | null; subgroups: number }[];
}
declare global {
  interface Window {
    __bench?: BenchOutcome;
    __benchReady?: boolean;
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const spec = JSON.parse(new URLSearchParams(location.search).get('spec') ?? '{}') as EvaluateSpec;
const { compute } = startComputeWorker();
const t0 = performance.now();
const info = await compute.init({ baseUrl: document.baseURI });
const initMs = performance.now() - t0;
window.__benchReady = true;

let frames = 0;
let spinning = false;
let angle = 0;
function spin(): void {
  if (!spinning) return;
  frames++;
  angle = (angle + 6) % 360;
  $('spinner').style.transform = `rotate(${angle}deg)`;
  requestAnimationFrame(spin);
}

$<HTMLInputElement>('file').addEventListener('change', async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (!file) return;
  const start = performance.now();
  spinning = true;
  $('spinner').hidden = false;
  requestAnimationFrame(spin);
  let progressEvents = 0;
  const phases: { phase: string; atMs: number }[] = [];
  const onProgress = progressCallback((p: Progress) => {
    progressEvents++;
    const name = p.kind === 'phase' ? p.phase : `training ${p.model}`;
    if (phases.at(-1)?.phase !== name) phases.push({ phase: name, atMs: Math.round(performance.now() - start) });
    $('status').textContent = p.kind === 'phase' ? `${p.phase} ${p.done}/${p.total}` : `training ${p.model} ${p.step}/${p.total}`;
  });
  const base = { initMs, backend: info.backend, rows: 0, frames: 0, progressEvents: 0, models: [], loadMs: 0, evaluateMs: 0, phases };
  const loaded = await compute.loadFile(1, file, {}, onProgress);
  const loadMs = performance.now() - start;
  // The phase timeline (main-thread clock) shows where the time goes, e.g. fingerprinting.
  if (loaded.status !== 'done') {
    spinning = false;
    window.__bench = { ...base, status: loaded.status, error: loaded.status === 'failed' ? loaded.error.message : undefined, totalMs: loadMs };
    return;
  }
  let evaluated: Awaited<ReturnType<typeof compute.evaluate>>;
  try {
    evaluated = await compute.evaluate(2, spec, onProgress);
  } catch (err) {
    // A thrown error (a bug, e.g. a result that cannot cross the worker boundary): record when
    // it surfaced so the run still has a time, and say it failed.
    spinning = false;
    window.__bench = { ...base, status: 'failed', error: `evaluate threw: ${String(err)}`, totalMs: performance.now() - start, loadMs, evaluateMs: performance.now() - start - loadMs, frames, progressEvents };
    return;
  }
  const evaluateMs = performance.now() - start - loadMs;
  spinning = false;
  $('spinner').hidden = true;
  if (evaluated.status !== 'done') {
    window.__bench = { ...base, status: evaluated.status, error: evaluated.status === 'failed' ? evaluated.error.message : undefined, totalMs: performance.now() - start, loadMs, evaluateMs };
    return;
  }
  const models = evaluated.value.results.map((r) => ({
    model: r.model,
    features: r.features,
    averagePrecision: r.metrics.averagePrecision.value,
    rocAuc: r.metrics.rocAuc.value,
    subgroups: r.subgroups.length,
  }));
  // "Seeing results": the summary is in the page and has been laid out.
  $('result').textContent = models.map((m) => `${m.model}: AP ${m.averagePrecision?.toFixed(3)} AUC ${m.rocAuc?.toFixed(3)}`).join('\n');
  $('status').textContent = 'results';
  void $('result').offsetHeight;
  window.__bench = { ...base, status: 'done', totalMs: performance.now() - start, loadMs, evaluateMs, rows: loaded.value.rows, frames, progressEvents, models };
});
