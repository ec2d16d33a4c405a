import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { messageOf, type DeadLetterSelection } from '@listen-to-yourself/core';
import type { SystemView } from '../catalog/system-view';
import type { ConsoleCluster } from './cluster';
import { html, type Html } from './html';
import { layout } from './layout';
import {
  catalogPage,
  deadLetterListPage,
  deadLetterPage,
  overviewPage,
  purgeConfirmPage,
  type Viewer,
} from './pages';

export interface ConsoleHandlerOptions {
  readonly cluster: ConsoleCluster;
  readonly view: SystemView | undefined;
  /** The write token; undefined serves read-only: every changing request is refused. */
  readonly token: string | undefined;
  /** Host headers accepted (`host:port`): a page reached under another name (DNS rebinding) is refused. */
  readonly hosts: () => readonly string[];
}

const COOKIE = 'lty-console-token';

interface Notes {
  readonly viewer?: Viewer;
  readonly notice?: string;
  readonly error?: string;
}
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // No script runs on these pages at all, whatever a record holds.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();
const sameToken = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && timingSafeEqual(digest(a), digest(b));

/** The console's request handler: GET pages, and POST /redrive and /purge, which need the write token. */
export function consoleHandler(o: ConsoleHandlerOptions) {
  const notices = new Map<string, string>();
  const writable = o.token !== undefined;

  function send(res: ServerResponse, status: number, title: string, body: Html, notes: Notes) {
    res.writeHead(status, HEADERS);
    res.end(
      layout(title, body, {
        mode: !writable ? 'read-only' : notes.viewer?.token ? 'read-write' : 'locked',
        ...notes,
      }),
    );
  }
  const page = (res: ServerResponse, viewer: Viewer, title: string, body: Html, notice?: string) =>
    send(res, 200, title, body, { viewer, ...(notice ? { notice } : {}) });

  async function get(url: URL, viewer: Viewer, res: ServerResponse) {
    const group = url.searchParams.get('group') ?? '';
    const notice = notices.get(url.searchParams.get('done') ?? '');
    switch (url.pathname) {
      case '/':
        return page(res, viewer, 'Services and groups', overviewPage(await o.cluster.health()));
      case '/catalog':
        return page(res, viewer, 'Catalog', catalogPage(o.view));
      case '/dead-letters':
        return page(
          res,
          viewer,
          `Dead letters of ${group}`,
          deadLetterListPage(group, await dlq(group).list(), viewer),
          notice,
        );
      case '/dead-letter': {
        const d = await dlq(group).show(url.searchParams.get('id') ?? '');
        if (!d) throw new HttpError(404, 'no outstanding dead letter with that id');
        return page(res, viewer, `Dead letter ${d.id}`, deadLetterPage(group, d, viewer));
      }
      case '/purge': {
        if (!viewer.token)
          throw new HttpError(403, 'read-only: open the console with its write token to purge');
        const sel = selectionOf(url.searchParams);
        const all = await dlq(group).list();
        const count = all.filter((d) =>
          'all' in sel ? true : 'key' in sel ? d.key === sel.key : d.id === sel.eventId,
        ).length;
        return page(res, viewer, `Purge in ${group}`, purgeConfirmPage(group, formOf(sel), count, viewer));
      }
      default:
        throw new HttpError(404, 'no such page');
    }
  }

  function dlq(group: string) {
    const d = o.cluster.deadLettersOf(group);
    if (!d) throw new HttpError(404, `unknown group ${group}`);
    return d;
  }

  async function post(url: URL, req: IncomingMessage, res: ServerResponse) {
    const form = new URLSearchParams(await body(req));
    if (!writable) throw new HttpError(403, 'this console is read-only: nothing was changed');
    if (!sameToken(form.get('token') ?? undefined, o.token))
      throw new HttpError(403, 'a changing request needs the write token: nothing was changed');
    const action = url.pathname === '/redrive' ? 'redrive' : url.pathname === '/purge' ? 'purge' : undefined;
    if (!action) throw new HttpError(404, 'no such action');
    if (action === 'purge' && form.get('confirm') !== 'yes')
      throw new HttpError(400, 'a purge needs its confirmation: nothing was changed');
    const group = form.get('group') ?? '';
    const result = await dlq(group)[action](selectionOf(form));
    const id = randomUUID();
    notices.set(
      id,
      result.keys.length === 0
        ? `Nothing to ${action}: no outstanding dead letter matches.`
        : `${action} ${result.redriveId}: keys ${result.keys.join(', ')}; produced again ${result.redriven.length}, ` +
            `purged ${result.purged.length}. Each key is released when its service reaches the release marker.`,
    );
    res.writeHead(303, { location: `/dead-letters?${new URLSearchParams({ group, done: id }).toString()}` });
    res.end();
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      if (!o.hosts().includes(req.headers.host ?? '')) throw new HttpError(421, 'unexpected Host header');
      const url = new URL(req.url ?? '/', 'http://console.invalid');
      const offered = url.searchParams.get('token');
      if (req.method === 'GET' && offered !== null) {
        // The token moves from the address (history, logs) to a cookie only this site sends.
        url.searchParams.delete('token');
        const ok = sameToken(offered, o.token);
        res.writeHead(303, {
          location: `${url.pathname}${url.search}`,
          ...(ok
            ? { 'set-cookie': `${COOKIE}=${encodeURIComponent(offered)}; HttpOnly; SameSite=Strict; Path=/` }
            : {}),
        });
        return void res.end();
      }
      const cookie = cookieOf(req.headers.cookie, COOKIE);
      const viewer = { token: sameToken(cookie, o.token) ? cookie : undefined };
      if (req.method === 'GET') return await get(url, viewer, res);
      if (req.method === 'POST') return await post(url, req, res);
      throw new HttpError(405, 'method not allowed');
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      send(res, status, status === 500 ? 'Error' : 'Refused', html``, { error: messageOf(err) });
    }
  };
}

function selectionOf(p: URLSearchParams): DeadLetterSelection {
  const all = p.get('all') === '1';
  const key = p.get('key');
  const eventId = p.get('eventId');
  if ([all || null, key, eventId].filter((x) => x !== null).length !== 1)
    throw new HttpError(400, 'give exactly one of all, key or eventId');
  return all ? { all: true } : key !== null ? { key } : { eventId: eventId! };
}

function formOf(sel: DeadLetterSelection): Record<string, string> {
  return 'all' in sel ? { all: '1' } : 'key' in sel ? { key: sel.key } : { eventId: sel.eventId };
}

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

async function body(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new HttpError(413, 'request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
