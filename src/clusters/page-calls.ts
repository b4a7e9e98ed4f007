import type { KubeStreamResponse } from './kube-client.js';
import type { PagedListClient, PagedListRequest } from './paged-list.js';

/** One page's call, possibly sent ahead of the chain reading it. */
export interface PageCall {
  readonly continueToken: string | undefined;
  readonly response: Promise<KubeStreamResponse>;
  /** Ends the call unread (the chain failed, or read a different token than the one sent). */
  abandon(): void;
}

/** The calls of one chain: the page being read, and at most one sent ahead of it. */
export class PageCalls {
  private ahead: PageCall | undefined;

  constructor(
    private readonly client: PagedListClient,
    private readonly req: PagedListRequest,
  ) {}

  /** Sends the call for `token` now, unless one is already ahead. */
  sendAhead(token: string): void {
    this.ahead ??= startPage(this.client, this.req, token);
  }

  /**
   * The call for the page at `token`: the one sent ahead when it asked for that token (a page's
   * first metadata gave it; JSON's last one, which the chain follows, could differ), else a new one.
   */
  take(token: string | undefined): PageCall {
    const ahead = this.ahead;
    this.ahead = undefined;
    if (ahead && ahead.continueToken === token) return ahead;
    ahead?.abandon();
    return startPage(this.client, this.req, token);
  }

  abandon(): void {
    this.ahead?.abandon();
    this.ahead = undefined;
  }
}

function startPage(
  client: PagedListClient,
  req: PagedListRequest,
  continueToken: string | undefined,
): PageCall {
  const response = client
    .stream({
      path: req.path,
      query: { ...req.query, limit: req.pageSize > 0 ? req.pageSize : undefined, continue: continueToken },
      accept: req.accept,
      timeoutMs: req.timeoutMs,
      signal: req.signal,
    })
    .then((res) => {
      // Until the chain reads it, a broken connection must not be an unhandled 'error' event;
      // streamOnePage sees it through `errored` / `destroyed`.
      res.body.on('error', ignore);
      return res;
    });
  // A call read ahead may fail before the chain awaits it (a 410, a timeout): not unhandled.
  response.catch(ignore);
  return {
    continueToken,
    response,
    abandon: () => void response.then((res) => res.close(), ignore),
  };
}

function ignore(): void {}
