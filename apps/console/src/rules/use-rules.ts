import { useEffect, useState } from 'react';

export type Rules = typeof import('./analyze');

let loading: Promise<Rules> | undefined;

/** Starts loading the rules chunk (CP949 table included); the same promise for every caller. */
export function loadRules(): Promise<Rules> {
  loading ??= import('./analyze');
  return loading;
}

/** The rules module once its chunk has arrived (undefined until then: the counter says it is loading). */
export function useRules(): Rules | undefined {
  const [rules, setRules] = useState<Rules>();
  useEffect(() => {
    let live = true;
    void loadRules().then((loaded) => {
      if (live) setRules(loaded);
    });
    return () => {
      live = false;
    };
  }, []);
  return rules;
}
