/**
 * The city's service times, in minutes: how long a rider spends at the store to pick up and at the
 * door to hand over (half before the pickup or drop-off moment, half after, the MDRP rule). The
 * simulated city makes its riders spend exactly these, and the live planners (dispatch's default
 * policy) plan with them, so planned pickups and drop-offs follow what riders do. One source: a
 * planner that copied the number drifted (dispatch planned 4 + 4 while riders spent 2 + 2).
 * MDRP instances carry their own service times and ignore these.
 */
export const CITY_SERVICE_MIN: Readonly<{ pickup: number; dropoff: number }> = Object.freeze({ pickup: 2, dropoff: 2 });
