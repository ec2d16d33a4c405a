import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from './args';
import { kafkaSecurity } from './security';

const dir = mkdtempSync(join(tmpdir(), 'lty-security-'));
const ca = join(dir, 'ca.pem');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');

describe('kafkaSecurity', () => {
  it('is empty without flags or environment', () => {
    const problems: string[] = [];
    expect(kafkaSecurity({}, {}, problems)).toEqual({});
    expect(problems).toEqual([]);
  });

  it('reads TLS and SASL from flags, then the environment; the password only from the environment', () => {
    const problems: string[] = [];
    const env = { KAFKA_SSL_CA: ca, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: 'pw' };
    expect(kafkaSecurity({ 'sasl-username': 'ops' }, env, problems)).toEqual({
      ssl: { ca: [expect.stringContaining('BEGIN CERTIFICATE')] },
      sasl: { mechanism: 'scram-sha-512', username: 'ops', password: 'pw' },
    });
    expect(problems).toEqual([]);
    expect(kafkaSecurity({}, { KAFKA_SSL: 'true' }, problems)).toEqual({ ssl: true });
  });

  it('reports every problem: an unreadable file, a lone cert, a bad mechanism, missing credentials', () => {
    const problems: string[] = [];
    kafkaSecurity(
      { 'ssl-ca': join(dir, 'missing.pem'), 'ssl-cert': ca, 'sasl-mechanism': 'kerberos' },
      {},
      problems,
    );
    expect(problems).toEqual([
      'give --ssl-cert and --ssl-key together',
      expect.stringMatching(/^--ssl-ca: cannot read .*missing\.pem/),
      '--sasl-mechanism must be one of plain, scram-sha-256, scram-sha-512',
      'SASL needs --sasl-username or KAFKA_SASL_USERNAME',
      'SASL needs the password in KAFKA_SASL_PASSWORD',
    ]);
  });

  it('reaches every dlq command through the target', () => {
    const parsed = parseCli(['status', '--service', 's', '--brokers', 'h:1', '--ssl-ca', ca], {});
    expect(parsed.target?.security).toEqual({ ssl: { ca: [expect.any(String)] } });
  });
});
