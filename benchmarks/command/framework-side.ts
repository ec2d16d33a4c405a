// The framework's side of the command-path benchmarks: one service.send() per call, one event per command.
import type { Service } from '../../packages/core/src/index';
import type { Side } from './closed-loop';
import { Deposit, deposit } from './common';

export const frameworkSide = (service: Service): Side => ({
  name: 'framework',
  perCall: 1,
  call: async (seq) => {
    await service.send(Deposit, deposit(seq));
  },
});
