import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';

/** The element's content width in px, followed as the window (or the nav) resizes; 0 before layout. */
export function useWidth<E extends HTMLElement>(): [RefObject<E | null>, number] {
  const ref = useRef<E | null>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    // The first width comes from the observer too, never from reading `clientWidth` here: that
    // read would lay out the whole page in the middle of React's commit (the Dashboard's status
    // card waited ~10–25 ms on it). The observer reports after the browser's own layout and
    // before it paints; flushSync draws the chart at that width in the same frame.
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined) flushSync(() => setWidth(Math.floor(w)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
