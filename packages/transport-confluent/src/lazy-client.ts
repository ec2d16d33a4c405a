/** A client created on first use and shared until it is reset or closed. */
export interface LazyClient<C> {
  /** The client, created and connected on first call; a failed creation is retried by the next call. */
  get(): Promise<C>;
  /** The client once created and connected, without waiting; undefined before, while connecting, and after reset. */
  ready(): C | undefined;
  /** Drops the client (it is disconnected in the background): the next `get()` creates a new one. */
  reset(): void;
  /** Disconnects the client if one was created. */
  close(): Promise<void>;
}

/** Wraps `create` (which connects) and `disconnect` into a {@link LazyClient}. */
export function lazyClient<C>(
  create: () => Promise<C>,
  disconnect: (client: C) => Promise<void>,
): LazyClient<C> {
  let current: Promise<C> | undefined;
  let connected: C | undefined;
  const drop = (): Promise<void> => {
    const was = current;
    current = undefined;
    connected = undefined;
    return was ? was.then(disconnect, () => undefined).catch(() => undefined) : Promise.resolve();
  };
  return {
    get() {
      if (current) return current;
      const made = (current = create());
      made.then(
        (client) => {
          if (current === made) connected = client;
        },
        () => {
          if (current === made) current = undefined;
        },
      );
      return made;
    },
    ready: () => connected,
    reset: () => void drop(),
    close: drop,
  };
}
