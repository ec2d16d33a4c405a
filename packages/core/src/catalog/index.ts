export { asyncApiDocument, type AsyncApiDocument, type AsyncApiOptions } from './asyncapi';
export { definitionsOf, type ServiceDefinitions, type SubscriptionDefinition } from './definitions';
export { jsonSchemaOf, type JsonSchema } from './json-schema';
