import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** What a first visit to /console/ downloads, compressed; the console must load fast on any link. */
const BUDGET_GZIP_BYTES = 300 * 1024;
const DIST = new URL('../../dist/console/', import.meta.url);

describe('console bundle', () => {
  it(`ships at most ${BUDGET_GZIP_BYTES / 1024} KB gzip, with no external URL to load`, async () => {
    const assets = await readdir(new URL('assets/', DIST));
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    let total = 0;
    for (const name of ['index.html', ...assets.map((a) => join('assets', a))]) {
      const body = await readFile(new URL(name, DIST));
      total += gzipSync(body, { level: 9 }).length;
      // No CDN: everything loads from the gateway (clusters' networks often have no internet).
      expect(body.toString('utf8')).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    }
    console.log(`console bundle: ${total} bytes gzip (budget ${BUDGET_GZIP_BYTES})`);
    expect(total).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});
