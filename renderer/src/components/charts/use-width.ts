import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** The element's content width in px, followed as the window (or the nav) resizes; 0 before layout. */
export function useWidth<E extends HTMLElement>(): [RefObject<E | null>, number] {
  const ref = useRef<E | null>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    // The first width comes from the observer too, never from reading `clientWidth` here: that
    // read would lay out the whole page in the middle of React's commit (the Dashboard's status
    // card waited ~10–25 ms on it). The chart is drawn at that width in the next frame, not forced
    // into this one: drawing it before the first paint held the whole screen back by ~50 ms on
    // the bench machine, and its box keeps its size meanwhile, so nothing moves when it appears.
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined) setWidth(Math.floor(w));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
