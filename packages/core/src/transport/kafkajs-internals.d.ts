// kafkajs ships no types for its internal modules; the one module core reaches into (see kafkajs-request-queue.ts).
declare module 'kafkajs/src/network/requestQueue/index.js' {
  const RequestQueue: { readonly prototype: object };
  export default RequestQueue;
}
