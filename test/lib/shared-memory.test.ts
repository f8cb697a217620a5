import { expect, it } from 'vitest';
import { sharedMemoryOf } from '../../src/lib/shared-memory.ts';

it('a cross-origin isolated page has shared memory', () => {
  expect(sharedMemoryOf({ crossOriginIsolated: true, SharedArrayBuffer })).toEqual({ available: true });
});

it('a page on a host without the isolation headers has none, and says it is the host', () => {
  // Chromium hides SharedArrayBuffer there; a browser that still defines it must not be trusted either.
  expect(sharedMemoryOf({ crossOriginIsolated: false })).toEqual({ available: false, reason: 'not-isolated' });
  expect(sharedMemoryOf({ crossOriginIsolated: false, SharedArrayBuffer })).toEqual({ available: false, reason: 'not-isolated' });
});

it('a runtime without SharedArrayBuffer has none, and says it is the runtime', () => {
  expect(sharedMemoryOf({ crossOriginIsolated: true })).toEqual({ available: false, reason: 'not-supported' });
  expect(sharedMemoryOf({})).toEqual({ available: false, reason: 'not-supported' });
});

it('Node (no crossOriginIsolated global) has shared memory', () => {
  expect(sharedMemoryOf()).toEqual({ available: true });
});
