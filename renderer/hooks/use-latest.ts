import { useRef, type RefObject } from 'react';

/** A ref that always holds the latest render's value: for callbacks that outlive the render (events, timers). */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
