/** A file path as a Source, for the command line (Node only: src/lib stays free of fs). */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Source } from '../lib/data/source.ts';

/** Chunk size when streaming a file from disk (4 MiB: few enough calls, small enough to bound memory). */
const CHUNK = 4 << 20;

export function sourceFromPath(path: string, name: string = basename(path)): Source {
  const size = statSync(path).size;
  return {
    name,
    size,
    async *chunks() {
      const stream = createReadStream(path, { highWaterMark: CHUNK });
      for await (const c of stream) {
        const b = c as Buffer;
        yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      }
    },
  };
}
