import { useState, type ReactNode } from 'react';

/** Machines per page of the Fleet screen: a farm of 50 stays one screenful at a time. */
export const FLEET_PAGE_SIZE = 12;

/** Page `page` (0-based, clamped) of `items`, and how many pages there are. */
export function pageOf<T>(items: readonly T[], page: number, size = FLEET_PAGE_SIZE): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(p * size, (p + 1) * size), page: p, pages };
}

/** The machines' cards a page at a time; no pager while they fit on one. */
export function FleetPager<T>({ items, render }: { items: readonly T[]; render: (item: T) => ReactNode }): ReactNode {
  const [page, setPage] = useState(0);
  const view = pageOf(items, page);
  return (
    <>
      <section className="grid">{view.items.map(render)}</section>
      {view.pages > 1 ? (
        <div className="row" data-testid="fleet-pager">
          <button type="button" disabled={view.page === 0} onClick={() => setPage(view.page - 1)}>
            Previous
          </button>
          <span className="muted small">
            Machines {view.page * FLEET_PAGE_SIZE + 1}–{view.page * FLEET_PAGE_SIZE + view.items.length} of {items.length}
          </span>
          <button type="button" disabled={view.page === view.pages - 1} onClick={() => setPage(view.page + 1)}>
            Next
          </button>
        </div>
      ) : null}
    </>
  );
}
