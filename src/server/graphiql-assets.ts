import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphiQLOptions } from 'graphql-yoga';
import { IMMUTABLE, sendAsset } from './static-assets/send-asset.js';
import { StaticAsset } from './static-assets/static-asset.js';

/**
 * GraphiQL as a small page plus versioned, compressed, cacheable files. The bundled renderer
 * inlines its 9 MB of scripts and workers into the page itself, so every visit downloaded all of
 * it uncompressed; here the page is ~1.5 KB and the 9 MB arrive once as ~2 MB of brotli, then come
 * from the browser's cache. Served from memory, loaded on first use: API-only gateways never pay
 * the ~40 MB the bundle costs.
 */
export const GRAPHIQL_ASSET_PATH = '/graphiql/';

interface GraphiqlBundle {
  /** Changes whenever the files do: part of their URLs, so they can be cached for good. */
  readonly version: string;
  readonly files: ReadonlyMap<string, StaticAsset>;
}

const JS = 'application/javascript; charset=utf-8';

let bundle: Promise<GraphiqlBundle> | undefined;

function loadBundle(): Promise<GraphiqlBundle> {
  bundle ??= import('@graphql-yoga/render-graphiql/graphiql').then((b) => {
    const files = new Map<string, StaticAsset>([
      ['graphiql.js', StaticAsset.text(JS, b.js)],
      ['graphiql.css', StaticAsset.text('text/css; charset=utf-8', b.css)],
      ['editor.worker.js', StaticAsset.text(JS, b.editorWorkerService)],
      ['json.worker.js', StaticAsset.text(JS, b.jsonWorker)],
      ['graphql.worker.js', StaticAsset.text(JS, b.graphqlWorker)],
      ['favicon.ico', faviconAsset(b.favicon)],
    ]);
    const etags = [...files.values()].map((f) => f.etag).join();
    const version = createHash('sha256').update(etags).digest('base64url').slice(0, 12);
    return { version, files };
  });
  return bundle;
}

/** The page yoga serves for GET /graphql with Accept: text/html. */
export async function renderGraphiqlPage(options: GraphiQLOptions | undefined): Promise<string> {
  const { version } = await loadBundle();
  // Relative URLs: the page lives at <prefix>/graphql, so a path prefix added by a proxy is kept.
  const base = `${GRAPHIQL_ASSET_PATH.slice(1)}${version}/`;
  const workers = {
    editorWorkerService: `${base}editor.worker.js`,
    json: `${base}json.worker.js`,
    graphql: `${base}graphql.worker.js`,
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options?.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${base}favicon.ico" />
    <link rel="stylesheet" href="${base}graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script>
      const workers = ${scriptJson(workers)};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => workers[label] };
    </script>
    <script src="${base}graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options ?? {})});
    </script>
  </body>
</html>
`;
}

/** Serves /graphiql/<version>/<file>; false when the path is not under /graphiql/. */
export async function handleGraphiqlAsset(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  if (!path.startsWith(GRAPHIQL_ASSET_PATH)) return false;
  const [version, file, ...rest] = path.slice(GRAPHIQL_ASSET_PATH.length).split('/');
  const loaded = await loadBundle();
  const asset = rest.length === 0 && version === loaded.version ? loaded.files.get(file ?? '') : undefined;
  if (!asset) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('not found\n');
    return true;
  }
  await sendAsset(req, res, asset, IMMUTABLE);
  return true;
}

/** The bundle carries its icon as a 170 KB data: URL; as a file it is fetched once. */
function faviconAsset(dataUrl: string): StaticAsset {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(dataUrl);
  if (!match) return StaticAsset.text('text/plain; charset=utf-8', '');
  return new StaticAsset(match[1] ?? 'image/x-icon', Buffer.from(match[2] ?? '', 'base64'));
}

/** JSON inside <script>: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
