import { useCallback, useEffect, useRef, useState } from 'react';
import type { In, Method, Out } from '../../../src/api/contract.js';
import { RigError } from '../../../src/api/errors.js';
import type { EventName, EventPayload } from '../../../src/api/events.js';
import type { TaskRef, TaskSnapshot } from '../../../src/api/schemas/task.js';
import { useClient } from './client-context.js';

export interface CallState<M extends Method> {
  data: Out<M> | undefined;
  error: RigError | null;
  loading: boolean;
  /** Calls again; the previous data stays on screen until the new answer arrives. */
  refresh: () => void;
}

/**
 * Calls a method when the component mounts and whenever `input` changes (compared by value).
 * Pass `null` as input to wait (e.g. until a form is filled). Late answers of superseded calls
 * are dropped, so a slow first scan cannot overwrite a newer one.
 */
export function useCall<M extends Method>(method: M, input: In<M> | null): CallState<M> {
  const client = useClient();
  const key = input === null ? null : JSON.stringify(input);
  // An answer the page's start already holds draws with the first render, without a placeholder.
  const [inHand] = useState(() => (input === null ? undefined : client.arrived(method, input)));
  const inHandKey = useRef(inHand ? key : null);
  const [data, setData] = useState<Out<M> | undefined>(inHand?.ok ? inHand.value : undefined);
  const [error, setError] = useState<RigError | null>(inHand && !inHand.ok ? inHand.error : null);
  const [loading, setLoading] = useState(input !== null && !inHand);
  const [generation, setGeneration] = useState(0);
  // The input the shown data (or error) answers. Until the answer for a new input arrives, the
  // data is the old input's: report loading from the very first render, not from the effect's.
  const [answeredKey, setAnsweredKey] = useState<string | null>(inHand ? key : null);
  const inputRef = useRef(input);
  inputRef.current = input;

  useEffect(() => {
    if (key === null) return undefined;
    // The first render already showed this input's answer: nothing to ask until a refresh.
    if (inHandKey.current === key && generation === 0) {
      inHandKey.current = null;
      return undefined;
    }
    inHandKey.current = null;
    let current = true;
    setLoading(true);
    setError(null);
    client
      .call(method, inputRef.current as In<M>)
      .then((value) => {
        if (current) setData(value);
      })
      .catch((err: unknown) => {
        if (current) setError(toRigError(err));
      })
      .then(() => {
        if (current) setAnsweredKey(key);
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [client, method, key, generation]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading: loading || (key !== null && answeredKey !== key), refresh };
}

/** Listens to one event while the component is mounted; the latest `listener` is always used. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void, enabled = true): void {
  const client = useClient();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    if (!enabled) return undefined;
    return client.on(event, (payload) => ref.current(payload));
  }, [client, event, enabled]);
}

/**
 * Follows a long task: subscribes to `task.progress` first, then reads the `task.get`
 * snapshot, so a window opened late shows the same state as one that watched from the start.
 * A snapshot answer never overwrites an event that arrived after it was asked for.
 */
export function useTask(ref: TaskRef | null | undefined): { snapshot: TaskSnapshot | null; error: RigError | null } {
  const client = useClient();
  const [snapshot, setSnapshot] = useState<TaskSnapshot | null>(null);
  const [error, setError] = useState<RigError | null>(null);
  const id = ref?.id ?? null;

  useEffect(() => {
    setSnapshot(null);
    setError(null);
    if (id === null) return undefined;
    let current = true;
    let sawEvent = false;
    const off = client.on('task.progress', (p) => {
      if (!current || p.task !== id) return;
      sawEvent = true;
      setSnapshot(p);
    });
    client
      .call('task.get', { id })
      .then((s) => {
        if (current && !sawEvent) setSnapshot(s);
      })
      .catch((err: unknown) => {
        if (current) setError(toRigError(err));
      });
    return () => {
      current = false;
      off();
    };
  }, [client, id]);

  return { snapshot, error };
}

export function toRigError(err: unknown): RigError {
  if (err instanceof RigError) return err;
  return new RigError('internal', err instanceof Error ? err.message : String(err));
}
