import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';

/**
 * A long list rendered a screenful at a time (@tanstack/react-virtual): refused lines of a 100,000-row CSV,
 * the history, the block list. `onEnd` asks for the next page when the last rows come into view.
 */
export function VirtualList<T>({
  items,
  rowHeight = 36,
  height = 400,
  label,
  render,
  onEnd,
  testId,
}: {
  items: readonly T[];
  rowHeight?: number;
  height?: number;
  label: string;
  render: (item: T, index: number) => ReactNode;
  onEnd?: () => void;
  testId?: string;
}) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parent.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    // jsdom and the first paint have no layout: start with a screenful
    initialRect: { width: 800, height },
  });
  const rows = virtualizer.getVirtualItems();
  const last = rows[rows.length - 1];
  if (onEnd && last && last.index >= items.length - 5) queueMicrotask(onEnd);
  return (
    <div
      ref={parent}
      role="list"
      aria-label={label}
      tabIndex={0}
      data-testid={testId}
      style={{ height: Math.min(height, items.length * rowHeight + 2), overflow: 'auto', contain: 'strict' }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => (
          <div
            key={row.key}
            role="listitem"
            style={{
              position: 'absolute',
              top: 0,
              left: 0,
              right: 0,
              height: row.size,
              transform: `translateY(${row.start}px)`,
            }}
          >
            {render(items[row.index] as T, row.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
