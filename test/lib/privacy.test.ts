import { expect, it } from 'vitest';
import { offOriginUrls } from '../../src/lib/privacy.ts';

it('keeps only requests to another origin', () => {
  const origin = 'http://127.0.0.1:4173';
  expect(
    offOriginUrls(
      ['http://127.0.0.1:4173/assets/a.js', 'data:,', 'blob:http://127.0.0.1:4173/x', 'http://127.0.0.1:9999/x', 'https://example.org/font.woff2', 'http://localhost:4173/'],
      origin,
    ),
  ).toEqual(['http://127.0.0.1:9999/x', 'https://example.org/font.woff2', 'http://localhost:4173/']);
});
