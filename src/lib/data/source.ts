/**
 * Where a file's bytes come from. Loaders read a Source chunk by chunk so a
 * file of hundreds of MB never has to exist as one string (and, for CSV, never
 * as one buffer either).
 */
export interface Source {
  name: string;
  /** Total size in bytes (for progress). */
  size: number;
  /** Whole-file bytes in chunks, in order. May be called more than once. */
  chunks(): AsyncIterable<Uint8Array>;
}

/** Chunk size for sources that slice an in-memory buffer or a Blob (4 MiB). */
export const CHUNK_BYTES = 4 << 20;

/** A Source over a Blob (a browser File is a Blob); reads slice by slice. */
export function sourceFromBlob(name: string, blob: Blob): Source {
  return {
    name,
    size: blob.size,
    async *chunks() {
      for (let start = 0; start < blob.size; start += CHUNK_BYTES) {
        const part = blob.slice(start, Math.min(blob.size, start + CHUNK_BYTES));
        yield new Uint8Array(await part.arrayBuffer());
      }
    },
  };
}

/** A Source over bytes already in memory (tests, fixtures, a fetched file). */
export function sourceFromBytes(name: string, bytes: Uint8Array, chunkBytes: number = CHUNK_BYTES): Source {
  const step = Math.max(1, Math.floor(chunkBytes));
  return {
    name,
    size: bytes.length,
    async *chunks() {
      for (let start = 0; start < bytes.length; start += step) yield bytes.subarray(start, Math.min(bytes.length, start + step));
    },
  };
}

/** All of a source's bytes as one buffer (binary formats need random access). */
export async function bytesOfSource(source: Source, onChunk?: (doneBytes: number) => void): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of source.chunks()) {
    parts.push(c);
    total += c.length;
    onChunk?.(total);
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
