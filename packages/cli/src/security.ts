import { readFileSync } from 'node:fs';
import type { KafkaTransportOptions } from '@listen-to-yourself/core';

/** TLS and SASL settings for the brokers, as every `lty` command passes them to its Kafka client. */
export type KafkaSecurity = Pick<KafkaTransportOptions, 'ssl' | 'sasl'>;

/** The command-line options of {@link kafkaSecurity}, for `parseArgs`. */
export const securityOptions = {
  ssl: { type: 'boolean' },
  'ssl-ca': { type: 'string' },
  'ssl-cert': { type: 'string' },
  'ssl-key': { type: 'string' },
  'sasl-mechanism': { type: 'string' },
  'sasl-username': { type: 'string' },
} as const;

export const SECURITY_USAGE = `Secured clusters (as the services' kafka options ssl and sasl):
  --ssl                       TLS, trusting the system's CAs (env KAFKA_SSL=true)
  --ssl-ca FILE               TLS, also trusting the CA certificates in this PEM file (env KAFKA_SSL_CA)
  --ssl-cert FILE --ssl-key FILE
                              a client certificate and its key, PEM (env KAFKA_SSL_CERT, KAFKA_SSL_KEY)
  --sasl-mechanism M          plain, scram-sha-256 or scram-sha-512 (env KAFKA_SASL_MECHANISM)
  --sasl-username U           (env KAFKA_SASL_USERNAME); the password only from env KAFKA_SASL_PASSWORD`;

type Values = {
  [K in keyof typeof securityOptions]?: (typeof securityOptions)[K]['type'] extends 'boolean'
    ? boolean
    : string;
};
const MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** The security settings from the flags, then the environment; every problem goes to `problems`. */
export function kafkaSecurity(
  v: Values,
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): KafkaSecurity {
  const ca = v['ssl-ca'] ?? env.KAFKA_SSL_CA;
  const cert = v['ssl-cert'] ?? env.KAFKA_SSL_CERT;
  const key = v['ssl-key'] ?? env.KAFKA_SSL_KEY;
  const on = v.ssl === true || /^(1|true|yes)$/i.test(env.KAFKA_SSL ?? '') || !!ca || !!cert;
  const read = (what: string, file: string | undefined): string | undefined => {
    if (!file) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      problems.push(`${what}: cannot read ${file} (${(err as Error).message})`);
      return undefined;
    }
  };
  if (!cert !== !key) problems.push('give --ssl-cert and --ssl-key together');
  const files = { ca: read('--ssl-ca', ca), cert: read('--ssl-cert', cert), key: read('--ssl-key', key) };
  const ssl =
    files.ca || files.cert
      ? {
          ...(files.ca ? { ca: [files.ca] } : {}),
          ...(files.cert && files.key ? { cert: files.cert, key: files.key } : {}),
        }
      : on;
  const mechanism = v['sasl-mechanism'] ?? env.KAFKA_SASL_MECHANISM;
  if (mechanism === undefined) return on ? { ssl } : {};
  const username = v['sasl-username'] ?? env.KAFKA_SASL_USERNAME;
  const password = env.KAFKA_SASL_PASSWORD;
  if (!(MECHANISMS as readonly string[]).includes(mechanism))
    problems.push(`--sasl-mechanism must be one of ${MECHANISMS.join(', ')}`);
  if (!username) problems.push('SASL needs --sasl-username or KAFKA_SASL_USERNAME');
  if (password === undefined) problems.push('SASL needs the password in KAFKA_SASL_PASSWORD');
  const sasl = {
    mechanism: mechanism as (typeof MECHANISMS)[number],
    username: username ?? '',
    password: password ?? '',
  };
  return on ? { ssl, sasl } : { sasl };
}
