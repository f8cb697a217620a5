/**
 * Development harness for the Data, Question, Models, Share and Compare pages, until the app
 * shell routes to them. Not part of the production build. The data-quality report is computed
 * here on the main thread by reading the source again, standing in for the worker's `inspect`
 * method (see workers/quality.ts), so the harness needs no change to the worker.
 */
import { mount } from 'svelte';
import type { Table } from 'apache-arrow';
import Harness from './Harness.svelte';
import '../src/ui/styles/app.scss';
import { loadTable } from '../src/lib/data/load.ts';
import { sourceFromBlob } from '../src/lib/data/source.ts';
import { generateCases } from '../src/lib/synth/generate.ts';
import { scenarioFrom } from '../src/lib/synth/scenarios.ts';
import type { ColumnType } from '../src/lib/data/schema.ts';
import type { RoleMapping } from '../src/lib/data/roles.ts';
import { inspectTable } from '../workers/quality.ts';
import { ComputeState } from '../src/ui/state/Compute.svelte.ts';
import { ProjectState } from '../src/ui/state/Project.svelte.ts';

const compute = new ComputeState();
let cached: { key: unknown; table: Table } | null = null;

const project: ProjectState = new ProjectState(compute, async (roles?: RoleMapping) => {
  const src = project.source;
  const summary = project.summary;
  if (!src || !summary) return null;
  const overrides: Record<string, ColumnType> = {};
  for (const c of summary.columns) if (c.type !== c.inferredType) overrides[c.name] = c.type;
  const key = JSON.stringify([src.kind === 'file' ? [src.file.name, src.file.size, src.file.lastModified, src.sheet] : src, overrides]);
  if (cached?.key !== key) {
    if (src.kind === 'file') {
      const r = await loadTable(sourceFromBlob(src.file.name, src.file), { sheet: src.sheet, typeOverrides: overrides });
      if (!r.ok) return null;
      cached = { key, table: r.value.table };
    } else {
      cached = { key, table: generateCases(scenarioFrom(src.preset, { rows: src.rows, seed: src.seed })).table };
    }
  }
  return inspectTable(cached.table, summary.columns, roles);
});

project.restore();
void compute.start();
mount(Harness, { target: document.getElementById('app')!, props: { compute, project } });
