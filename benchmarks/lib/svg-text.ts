// Text helpers shared by the SVG charts.

export const esc = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** Splits `text` at spaces into lines of at most `maxChars` (a longer word gets a line of its own). */
export function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The chart's title and its wrapped subtitle (at most 3 lines of ~115 characters), from y = 20 down. */
export function heading(x: number, title: string, subtitle: string): string[] {
  const lines = wrap(subtitle, 115).slice(0, 3);
  return [
    `<text x="${x}" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
    ...lines.map((l, i) => `<text x="${x}" y="${38 + 15 * i}" fill="#555" font-size="11">${esc(l)}</text>`),
  ];
}
