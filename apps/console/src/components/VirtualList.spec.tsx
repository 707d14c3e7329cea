import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VirtualList } from './VirtualList';

const ROWS = Array.from({ length: 10_000 }, (_, i) => `row ${i}`);

function renderList(onEnd?: () => void) {
  render(
    <VirtualList
      items={ROWS}
      label="rows"
      height={400}
      rowHeight={40}
      render={(row) => <span>{row}</span>}
      onEnd={onEnd}
    />,
  );
  return screen.getByRole('list', { name: 'rows' });
}

describe('<VirtualList>', () => {
  // jsdom lays nothing out: the list's box is given the size a browser would give it (400 × 800 px), which
  // the virtualiser reads (clientHeight/clientWidth) to know how many rows fill it.
  const box = { clientHeight: 400, clientWidth: 800 } as const;
  const saved = Object.keys(box).map(
    (name) => [name, Object.getOwnPropertyDescriptor(Element.prototype, name)] as const,
  );
  beforeAll(() => {
    for (const [name, size] of Object.entries(box)) {
      Object.defineProperty(Element.prototype, name, {
        configurable: true,
        get(this: Element) {
          return this.getAttribute('role') === 'list' ? size : 0;
        },
      });
    }
  });
  afterAll(() => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(Element.prototype, name, descriptor);
    }
  });

  it('renders a window of 10,000 rows, not the rows: a screenful (400 / 40 px) and the overscan', () => {
    const list = renderList();
    const shown = screen.getAllByRole('listitem');
    expect(shown.length).toBeGreaterThanOrEqual(10);
    expect(shown.length).toBeLessThanOrEqual(10 + 2 * 8 + 1);
    expect(screen.getByText('row 0')).toBeTruthy();
    expect(screen.queryByText('row 9999')).toBeNull();
    // the scroll height is the whole list's, so the scrollbar says where one is
    expect((list.firstElementChild as HTMLElement).style.height).toBe(`${10_000 * 40}px`);
  });

  it('shows the rows scrolled to, and asks for more at the end', async () => {
    const onEnd = vi.fn();
    const list = renderList(onEnd);
    // jsdom has no layout: the scroll position is set by hand, then the scroll event tells the list
    let top = 200_000;
    Object.defineProperty(list, 'scrollTop', { configurable: true, get: () => top });
    await act(async () => {
      fireEvent.scroll(list);
    });
    expect(screen.getByText('row 5000')).toBeTruthy();
    expect(screen.queryByText('row 0')).toBeNull();
    expect(screen.getAllByRole('listitem').length).toBeLessThanOrEqual(10 + 2 * 8 + 1);
    expect(onEnd).not.toHaveBeenCalled();

    top = 10_000 * 40 - 400;
    await act(async () => {
      fireEvent.scroll(list);
    });
    expect(screen.getByText('row 9999')).toBeTruthy();
    await act(async () => {
      await Promise.resolve();
    });
    expect(onEnd).toHaveBeenCalled();
  });
});
