/** Ready when the Confluent-compatible API lists its subjects (a JSON array; `[]` on a fresh in-memory registry). */
export default async function probeRegistry(cfg) {
  const url = `${cfg.schemaRegistryUrl.replace(/\/+$/, '')}/subjects`;
  const res = await fetch(url, {
    signal: AbortSignal.timeout(3000),
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  const body = await res.json();
  if (!Array.isArray(body)) {
    throw new Error(`GET ${url}: expected a JSON array, got ${JSON.stringify(body).slice(0, 200)}`);
  }
}
