import type { ReactNode } from 'react';

/** Machines per page of the Fleet screen: the controller sends one page at a time, so a farm of 500 costs what a farm of 12 does. */
export const FLEET_PAGE_SIZE = 12;

/** The page's place in the farm, as `farm.status` answered it. */
export interface FleetPageInfo {
  offset: number;
  limit: number;
  total: number;
}

/** The first machine of the last page (a farm that shrank under an open page moves back to it). */
export function lastPageOffset(total: number, size = FLEET_PAGE_SIZE): number {
  return Math.max(0, Math.floor((Math.max(1, total) - 1) / size) * size);
}

/** The machines' cards of one server page; Previous/Next ask the controller for the neighbouring page. No pager while they fit on one. */
export function FleetPager<T>({ items, page, onOffset, render }: { items: readonly T[]; page: FleetPageInfo; onOffset: (offset: number) => void; render: (item: T) => ReactNode }): ReactNode {
  const { offset, limit, total } = page;
  return (
    <>
      <section className="grid">{items.map(render)}</section>
      {total > limit ? (
        <div className="row" data-testid="fleet-pager">
          <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
            Previous
          </button>
          <span className="muted small">
            Machines {items.length === 0 ? 0 : offset + 1}–{offset + items.length} of {total}
          </span>
          <button type="button" disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)}>
            Next
          </button>
        </div>
      ) : null}
    </>
  );
}
