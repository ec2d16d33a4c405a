import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const version = process.env.LTY_KAFKA_VERSION ?? '4.1.2';
const home = join(
  process.env.LTY_CACHE_DIR ?? join(homedir(), '.cache/listen-to-yourself'),
  `kafka-${version}`,
);

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * A single-node broker of a test's own whose client listener speaks TLS only, with a self-signed certificate
 * made here (keytool). Its ports: `port` TLS for clients, `port - 1` plaintext between the broker and itself,
 * `port + 1` its controller. Uses the jars `pnpm services up kafka` resolved.
 */
export function tlsKafka(port: number) {
  const cp = join(home, 'cp.txt');
  if (!existsSync(cp)) throw new Error(`${cp} is missing: run \`pnpm services up kafka\` once first`);
  const dir = mkdtempSync(join(tmpdir(), 'lty-tls-kafka-'));
  const pass = 'changeit';
  const keystore = join(dir, 'broker.p12');
  const caFile = join(dir, 'ca.pem');
  run('keytool', [
    ...['-genkeypair', '-alias', 'broker', '-keyalg', 'RSA', '-keysize', '2048', '-validity', '2'],
    ...['-dname', 'CN=localhost', '-ext', 'SAN=IP:127.0.0.1,DNS:localhost'],
    ...['-keystore', keystore, '-storetype', 'PKCS12', '-storepass', pass, '-keypass', pass],
  ]);
  run('keytool', [
    '-exportcert',
    '-rfc',
    '-alias',
    'broker',
    '-keystore',
    keystore,
    '-storepass',
    pass,
    '-file',
    caFile,
  ]);
  const props = join(dir, 'server.properties');
  writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${port + 1}`,
      `listeners=SSL://127.0.0.1:${port},INTERNAL://127.0.0.1:${port - 1},CONTROLLER://127.0.0.1:${port + 1}`,
      `advertised.listeners=SSL://127.0.0.1:${port},INTERNAL://127.0.0.1:${port - 1}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,SSL:SSL',
      'inter.broker.listener.name=INTERNAL',
      `ssl.keystore.location=${keystore}`,
      'ssl.keystore.type=PKCS12',
      `ssl.keystore.password=${pass}`,
      `ssl.key.password=${pass}`,
      `log.dirs=${join(dir, 'data')}`,
      'num.partitions=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'transaction.state.log.num.partitions=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'log.cleaner.dedupe.buffer.size=33554432',
      '',
    ].join('\n'),
  );
  const classpath = readFileSync(cp, 'utf8').trim();
  const java = [
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=file:${join(home, 'log4j2.properties')}`,
  ];
  const cid = run('java', [...java, '-cp', classpath, 'kafka.tools.StorageTool', 'random-uuid'])
    .trim()
    .split('\n')
    .pop()!;
  run('java', [...java, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', cid, '-c', props, '-g']);
  let child: ChildProcess | undefined;
  let log = '';
  return {
    brokers: [`127.0.0.1:${port}`],
    caFile,
    ca: readFileSync(caFile, 'utf8'),
    /** Starts the broker and resolves once it serves clients. */
    async up(): Promise<void> {
      child = spawn(
        'java',
        ['-Xms256m', '-Xmx512m', '-XX:TieredStopAtLevel=1', ...java, '-cp', classpath, 'kafka.Kafka', props],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
      child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
      const started = Date.now();
      while (!log.includes('Kafka Server started')) {
        if (child.exitCode !== null || Date.now() - started > 90_000)
          throw new Error(`the TLS broker did not start:\n${log.slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    /** Stops the broker (SIGTERM, then SIGKILL after 20 s) and removes its files. */
    async destroy(): Promise<void> {
      const c = child;
      if (c && c.exitCode === null) {
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
