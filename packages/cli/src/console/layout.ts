import { Html, html } from './html';

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330}
header{background:#1d2330;color:#fff;padding:.6em 1.2em;display:flex;gap:1.5em;align-items:center}
header a{color:#cfe0ff;text-decoration:none}header b{margin-right:1em}
main{padding:1em 1.2em;max-width:1200px}table{border-collapse:collapse;margin:.5em 0 1.2em}
th,td{border-bottom:1px solid #dde;padding:.3em .7em;text-align:left;vertical-align:top}
th{background:#f3f5f9}pre{background:#f6f7fa;padding:.6em;white-space:pre-wrap;word-break:break-all}
.ok{color:#13795b}.bad{color:#b42318}.warn{color:#b54708}.mode{margin-left:auto;font-size:12px}
.flash{background:#ecfdf3;border:1px solid #abefc6;padding:.5em .8em}
.error{background:#fef3f2;border:1px solid #fecdca;padding:.5em .8em}
form.inline{display:inline}button{cursor:pointer}`;

const MODES = {
  'read-only': 'read-only (started without a write token)',
  locked: 'read-only (open with ?token=… to change anything)',
  'read-write': 'read-write',
};

/** One page: the header with its links and mode, an optional notice, the body. */
export function layout(
  title: string,
  body: Html,
  opts: { mode: 'read-only' | 'locked' | 'read-write'; notice?: string; error?: string },
): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title} · lty console</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <b>lty console</b><a href="/">Groups</a><a href="/catalog">Catalog</a>
          <span class="mode">${MODES[opts.mode]}</span>
        </header>
        <main>
          ${opts.notice ? html`<p class="flash">${opts.notice}</p>` : ''}${opts.error ? html`<p class="error">${opts.error}</p>` : ''}
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`.text;
}
