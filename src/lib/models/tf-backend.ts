/**
 * Choosing the TensorFlow.js backend, and saying why.
 *
 * Preference: WebGPU -> WebGL -> WASM -> CPU, but only real hardware counts for the GPU
 * backends: a software adapter (SwiftShader) is 30-70x slower than WASM (PLATFORM.md), so it is
 * skipped with the reason recorded. `tf.setBackend` is always awaited and checked, never left to
 * `tf.ready()` priority order.
 */
import * as tf from '@tensorflow/tfjs-core';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendInfo {
  backend: BackendName;
  /** One sentence per backend that was considered and not used, in preference order. */
  reasons: string[];
  /** Adapter or renderer description where the browser gives one. */
  device?: string;
  tfjsVersion: string;
}

export interface BackendOptions {
  /** Absolute URL of the folder holding the tfjs .wasm files (same origin as the app). */
  wasmBaseUrl?: string;
  /** Skip the probing and use this backend (for tests and benchmarks). */
  force?: BackendName;
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { architecture?: string; description?: string; vendor?: string };
  requestAdapterInfo?: () => Promise<{ architecture?: string; description?: string; vendor?: string }>;
}
interface NavigatorLike {
  gpu?: { requestAdapter(opts?: unknown): Promise<GpuAdapterLike | null> };
}

const isSoftware = (s: string) => /swiftshader|llvmpipe|software|basic render/i.test(s);

async function probeWebGpu(): Promise<{ ok: true; device: string } | { ok: false; reason: string }> {
  const nav = (globalThis as { navigator?: NavigatorLike }).navigator;
  if (!nav?.gpu) return { ok: false, reason: 'WebGPU: this browser does not offer it.' };
  let adapter: GpuAdapterLike | null = null;
  try {
    adapter = await nav.gpu.requestAdapter();
  } catch {
    adapter = null;
  }
  if (!adapter) return { ok: false, reason: 'WebGPU: no graphics adapter is available.' };
  const info = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo().catch(() => undefined) : undefined);
  const device = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unknown adapter';
  if (adapter.isFallbackAdapter || isSoftware(device)) {
    return { ok: false, reason: `WebGPU: the only adapter is software (${device}), much slower than WASM here.` };
  }
  return { ok: true, device };
}

function probeWebGl(): { ok: true; device: string } | { ok: false; reason: string } {
  const Offscreen = (globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: string): unknown } }).OffscreenCanvas;
  if (!Offscreen) return { ok: false, reason: 'WebGL: no OffscreenCanvas in this context.' };
  type Gl = { getExtension(n: string): { UNMASKED_RENDERER_WEBGL: number } | null; getParameter(p: number): unknown; RENDERER: number };
  const gl = new Offscreen(1, 1).getContext('webgl2') as Gl | null;
  if (!gl) return { ok: false, reason: 'WebGL: WebGL 2 is not available.' };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const device = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? 'unknown renderer');
  if (isSoftware(device)) return { ok: false, reason: `WebGL: the renderer is software (${device}), slower than WASM here.` };
  return { ok: true, device };
}

async function trySet(name: BackendName): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/** Initialise tfjs with the best backend this context really has. */
export async function initBackend(opts: BackendOptions = {}): Promise<BackendInfo> {
  const reasons: string[] = [];
  const done = (backend: BackendName, device?: string): BackendInfo => ({ backend, reasons, device, tfjsVersion: tf.version_core });
  const order: BackendName[] = opts.force ? [opts.force] : ['webgpu', 'webgl', 'wasm', 'cpu'];

  for (const name of order) {
    if (name === 'webgpu') {
      const probe = opts.force ? ({ ok: true, device: 'forced' } as const) : await probeWebGpu();
      if (!probe.ok) {
        reasons.push(probe.reason);
        continue;
      }
      await import('@tensorflow/tfjs-backend-webgpu');
      if (await trySet('webgpu')) return done('webgpu', probe.device);
      reasons.push('WebGPU: the backend failed to start.');
    } else if (name === 'webgl') {
      const probe = opts.force ? ({ ok: true, device: 'forced' } as const) : probeWebGl();
      if (!probe.ok) {
        reasons.push(probe.reason);
        continue;
      }
      await import('@tensorflow/tfjs-backend-webgl');
      if (await trySet('webgl')) return done('webgl', probe.device);
      reasons.push('WebGL: the backend failed to start.');
    } else if (name === 'wasm') {
      if (typeof WebAssembly !== 'object') {
        reasons.push('WASM: WebAssembly is not available.');
        continue;
      }
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // Threaded WASM breaks after minification and gives nothing on two cores (PLATFORM.md).
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      if (opts.wasmBaseUrl) wasm.setWasmPaths(opts.wasmBaseUrl);
      if (await trySet('wasm')) return done('wasm', 'WebAssembly (SIMD where supported)');
      reasons.push('WASM: the backend failed to start (are the .wasm files served?).');
    } else {
      await import('@tensorflow/tfjs-backend-cpu');
      if (await trySet('cpu')) return done('cpu', 'JavaScript');
      reasons.push('CPU: the backend failed to start.');
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${reasons.join(' ')}`);
}

/** A small real computation on the active backend, checked against plain JavaScript:
 *  C = A·B for seeded 128x128 matrices; returns the max abs difference and the time taken. */
export async function matmulCheck(seed = 1, size = 128): Promise<{ backend: string; maxAbsError: number; ms: number }> {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) - 0.5;
  const a = new Float32Array(size * size).map(next);
  const b = new Float32Array(size * size).map(next);
  const t0 = performance.now();
  const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [size, size]), tf.tensor2d(b, [size, size])));
  const got = (await c.data()) as Float32Array;
  c.dispose();
  const ms = performance.now() - t0;
  let maxAbsError = 0;
  for (let i = 0; i < size; i += 7) {
    for (let j = 0; j < size; j += 5) {
      let sum = 0;
      for (let k = 0; k < size; k++) sum += a[i * size + k] * b[k * size + j];
      maxAbsError = Math.max(maxAbsError, Math.abs(sum - got[i * size + j]));
    }
  }
  return { backend: tf.getBackend(), maxAbsError, ms };
}
