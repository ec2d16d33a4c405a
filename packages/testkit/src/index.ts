// The public API of @listen-to-yourself/testkit, listed by hand: what is not here is internal.

export { describeStateStoreContract } from './state-store-contract/describe-state-store-contract';
export { stateStoreContractDefaults } from './state-store-contract/features';
export type {
  StateStoreContractFeatures,
  StateStoreFactory,
  StoreUnderTest,
  UserOwnedClientFixture,
} from './state-store-contract/features';
export type { Counter } from './state-store-contract/fixtures';

export { describeTransportContract } from './transport-contract/describe-transport-contract';
export { transportContractDefaults } from './transport-contract/features';
export type {
  TransportContractFeatures,
  TransportFactory,
  TransportUnderTest,
} from './transport-contract/features';

export { describeOutcomeContract } from './outcome-contract/describe-outcome-contract';
export type { OutcomeContractFactory, OutcomeContractSetup } from './outcome-contract/fixtures';
