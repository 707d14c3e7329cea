/** One page of a cursor-paged list: `nextCursor` is null on the last page. */
export interface CursorPage<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * Every item of a cursor-paged list, fetched a page at a time as the loop asks for more:
 * `for await (const message of munja.messages.list({ status: 'COMPLETED' })) …`. `pages()` gives whole pages.
 */
export class PagedList<T> implements AsyncIterable<T> {
  constructor(private readonly fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>) {}

  async *pages(): AsyncGenerator<CursorPage<T>, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.fetchPage(cursor);
      yield page;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Every item in one array (mind the size of what you ask for). */
  async toArray(): Promise<T[]> {
    const all: T[] = [];
    for await (const item of this) all.push(item);
    return all;
  }
}
