import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMMUTABLE, REVALIDATE, sendAsset } from './static-assets/send-asset.js';
import { StaticAsset } from './static-assets/static-asset.js';

export const CONSOLE_PATH = '/console/';

/**
 * The built console (Vite writes it to dist/console): found beside the compiled server in the
 * package, or under dist/ when the gateway runs from sources (npm run demo builds it first).
 */
const CANDIDATE_DIRS = [
  new URL('../console/', import.meta.url),
  new URL('../../dist/console/', import.meta.url),
];

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/**
 * The page talks to this origin only: GraphQL over fetch and graphql-ws. Everything else is
 * refused, so injected markup can neither load code nor send data elsewhere.
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; " +
    "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

interface ConsoleFiles {
  readonly index: StaticAsset;
  /** Vite's content-hashed files, by path under the console folder (e.g. assets/index-3f2a.js). */
  readonly assets: ReadonlyMap<string, StaticAsset>;
}

let files: Promise<ConsoleFiles | undefined> | undefined;

async function loadFiles(): Promise<ConsoleFiles | undefined> {
  const dir = CANDIDATE_DIRS.map((u) => fileURLToPath(u)).find((d) => existsSync(join(d, 'index.html')));
  if (!dir) return undefined;
  const assets = new Map<string, StaticAsset>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const type = TYPES[extname(entry.name)];
    if (!type) continue;
    assets.set(relative(dir, path).split(sep).join('/'), new StaticAsset(type, await readFile(path)));
  }
  const index = assets.get('index.html');
  assets.delete('index.html');
  return index && { index, assets };
}

/** Serves /console/ and its files; false when the path is not the console's. */
export async function handleConsoleRoute(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  if (path === '/console') {
    // Relative, so a path prefix added by a proxy is kept.
    res.writeHead(308, { location: 'console/', 'content-length': '0' });
    res.end();
    return true;
  }
  if (!path.startsWith(CONSOLE_PATH)) return false;
  files ??= loadFiles();
  const loaded = await files;
  if (!loaded) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('The console is not built: run npm run build (or serve with --no-console).\n');
    return true;
  }
  const file = path.slice(CONSOLE_PATH.length);
  if (file === '' || file === 'index.html') {
    for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
    await sendAsset(req, res, loaded.index, REVALIDATE);
    return true;
  }
  const asset = loaded.assets.get(file);
  if (!asset) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('not found\n');
    return true;
  }
  await sendAsset(req, res, asset, file.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
  return true;
}
