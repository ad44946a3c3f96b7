// What a named lab policy turns off, in one leaf file with no imports: the dashboard's Lab page
// imports it as `@riderflow/contracts/lab-levers` (a page may take only types from the main entry;
// see rider-statuses.ts).

/**
 * How often dispatch did, in a window, what a named policy turns off: orders sent out in a bundle
 * (two or more orders on one pickup: bundles and rescue ride-alongs alike) and riders repositioned.
 */
export interface LabLevers { bundledOrders: number; repositions: number }

/** The policies that turn one of those off, the count that measures it, and how to say that live did none of it. */
export const LAB_POLICY_LEVER: Readonly<Record<string, { lever: keyof LabLevers; noneByLive: string; thing: string }>> = {
  'no-bundling': { lever: 'bundledOrders', noneByLive: 'bundled no orders', thing: 'orders bundled' },
  'no-preposition': { lever: 'repositions', noneByLive: 'repositioned no riders', thing: 'riders repositioned' },
};
