import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { waitForTopicLeaders } from './kafka-topic-leaders';

type Meta = Awaited<ReturnType<Admin['fetchTopicMetadata']>>;
const notYet = Object.assign(new Error('This server does not host this topic-partition'), {
  type: 'UNKNOWN_TOPIC_OR_PARTITION',
});
const led = (leader: number): Meta => ({
  topics: [
    { name: 't', partitions: [{ partitionId: 0, leader, replicas: [1], isr: [1], partitionErrorCode: 0 }] },
  ],
});

/** An admin whose metadata answers are played in order, the last one repeated. */
function adminAnswering(...answers: (Meta | Error)[]): Admin & { calls: number } {
  const admin = {
    calls: 0,
    fetchTopicMetadata: () => {
      const answer = answers[Math.min(admin.calls++, answers.length - 1)]!;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return admin as unknown as Admin & { calls: number };
}

describe('waitForTopicLeaders', () => {
  it('waits through "not hosted" and leaderless answers until every partition has a leader', async () => {
    const admin = adminAnswering(notYet, notYet, led(-1), led(1));
    await waitForTopicLeaders(admin, ['t'], 5000);
    expect(admin.calls).toBe(4);
  });

  it('rethrows at once an error that is not about a new topic', async () => {
    const denied = Object.assign(new Error('denied'), { type: 'TOPIC_AUTHORIZATION_FAILED' });
    const admin = adminAnswering(denied, led(1));
    await expect(waitForTopicLeaders(admin, ['t'], 5000)).rejects.toBe(denied);
    expect(admin.calls).toBe(1);
  });

  it('gives up after its bound with the last answer', async () => {
    await expect(waitForTopicLeaders(adminAnswering(notYet), ['t'], 200)).rejects.toBe(notYet);
    await expect(waitForTopicLeaders(adminAnswering(led(-1)), ['t'], 200)).rejects.toThrow(/without leaders/);
  });
});
