/** Markup made by {@link html}: inserted as is into other markup; everything else is escaped. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

type Part = Html | string | number | undefined | null | false | readonly Part[];

function render(part: Part): string {
  if (part === undefined || part === null || part === false) return '';
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/**
 * A template tag that escapes every interpolated value unless it is itself `html` markup: record content
 * (keys, headers, payloads, error messages) can only ever show as text. Arrays are joined; false and nullish
 * values render nothing.
 */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Html(out);
}

/** A table of a header row and data rows; every cell goes through {@link html}'s escaping. */
export function table(header: readonly string[], rows: readonly (readonly Part[])[]): Html {
  return html`<table>
    <tr>
      ${header.map((h) => html`<th>${h}</th>`)}
    </tr>
    ${rows.map(
      (r) =>
        html`<tr>
          ${r.map((c) => html`<td>${c}</td>`)}
        </tr>`,
    )}
  </table>`;
}
