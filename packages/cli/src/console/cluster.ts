import { deadLetters, messageOf, type DeadLetters, type GroupStatus } from '@listen-to-yourself/core';
import { Kafka, logLevel, type Admin, type SASLOptions } from 'kafkajs';
import type { GroupView } from '../catalog/system-view';
import type { KafkaSecurity } from '../security';

/** A consumer group as the console shows it: its membership, lag per partition and dead letters. */
export interface GroupHealth {
  readonly group: GroupView;
  /** Kafka's group state: Stable, Empty, PreparingRebalance, Dead, ... */
  readonly state: string;
  readonly members: number;
  readonly status: GroupStatus | undefined;
  /** `ok` when the group has members, no dead letters and the status could be read. */
  readonly health: 'ok' | 'dead letters' | 'no members' | 'error';
  readonly error: string | undefined;
}

/** The part of the cluster the console reads and changes: one object, connected lazily, closed once. */
export interface ConsoleCluster {
  readonly groups: readonly GroupView[];
  health(): Promise<GroupHealth[]>;
  /** The dead letters of a group the console knows; undefined for any other group. */
  deadLettersOf(group: string): DeadLetters | undefined;
  close(): Promise<void>;
}

/** Opens the groups' dead letters and an admin client with the given brokers and security settings. */
export function consoleCluster(options: {
  brokers: string[];
  security: KafkaSecurity;
  groups: readonly GroupView[];
}): ConsoleCluster {
  const { brokers, security, groups } = options;
  const kafka = new Kafka({
    clientId: 'lty-console',
    brokers,
    logLevel: logLevel.NOTHING,
    ...(security.ssl ? { ssl: security.ssl } : {}),
    ...(security.sasl ? { sasl: security.sasl as SASLOptions } : {}),
  });
  let admin: Promise<Admin> | undefined;
  const connectAdmin = () =>
    (admin ??= (async () => {
      const a = kafka.admin();
      await a.connect().catch((err: unknown) => {
        admin = undefined;
        throw err;
      });
      return a;
    })());
  const letters = new Map(
    groups.map((g) => [
      g.group,
      deadLetters({
        kafka: { brokers, clientId: 'lty-console', ...security },
        topic: g.topic,
        groupId: g.group,
        dlqTopic: g.dlqTopic,
      }),
    ]),
  );

  async function one(g: GroupView, described: Map<string, { state: string; members: number }>) {
    const d = described.get(g.group) ?? { state: 'Unknown', members: 0 };
    try {
      const status = await letters.get(g.group)!.status();
      const health = d.members === 0 ? 'no members' : status.deadLetters > 0 ? 'dead letters' : 'ok';
      return { group: g, ...d, status, health, error: undefined } as const;
    } catch (err) {
      return { group: g, ...d, status: undefined, health: 'error', error: messageOf(err) } as const;
    }
  }

  return {
    groups,
    async health() {
      const described = new Map<string, { state: string; members: number }>();
      const a = await connectAdmin();
      const { groups: found } = await a.describeGroups(groups.map((g) => g.group));
      for (const f of found) described.set(f.groupId, { state: f.state, members: f.members.length });
      const out: GroupHealth[] = [];
      // One group after another: each status reads a dead-letter topic, and the broker is shared.
      for (const g of groups) out.push(await one(g, described));
      return out;
    },
    deadLettersOf: (group) => letters.get(group),
    async close() {
      await Promise.allSettled([...letters.values()].map((l) => l.close()));
      if (admin) await (await admin.catch(() => undefined))?.disconnect();
    },
  };
}
