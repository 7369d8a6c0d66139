/**
 * What electron/preload exposes with contextBridge: exactly one object, two functions. It is a
 * pipe with no types worth having (names are allowlisted in the preload, payloads validated in
 * main), so the renderer wraps it in the typed client and never calls it directly elsewhere.
 */
interface RigleaseBridge {
  /** Resolves to the API envelope `{ok, value | error}`; rejects only when the pipe itself fails. */
  call(method: string, input: unknown): Promise<unknown>;
  /** Subscribes to one event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

interface Window {
  /** Present only inside the Electron shell; the browser build talks HTTP instead. */
  readonly riglease?: RigleaseBridge;
}
