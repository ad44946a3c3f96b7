// A rider's status names, in one leaf file with no imports: the dashboard's pages import it as
// `@riderflow/contracts/rider-statuses`. (Next's bundler, Turbopack, cannot follow the `./x.js`
// specifiers of the main entry to their .ts files, so a page may take only types from
// `@riderflow/contracts` — those are erased before bundling — and values from here.)

export const RIDER_STATUSES = ['idle', 'to_store', 'waiting', 'to_customer', 'repositioning', 'off_shift'] as const;
export type RiderStatus = (typeof RIDER_STATUSES)[number];

/**
 * A rider's status as a small number in the dashboard's live frame (its index in RIDER_STATUSES),
 * so a frame of a thousand riders stays small; the page maps it back with RIDER_STATUSES[code].
 */
export const RIDER_STATUS_CODES = Object.fromEntries(RIDER_STATUSES.map((s, i) => [s, i])) as Record<RiderStatus, number>;
