// @riderflow/geo: the one geography (plane, projection, the world's travel model and the planners'
// estimate of it), the one assignment solver and the one seeded random generator. Pure: no I/O.
export { distance, type Point } from './point.js';
export { createProjection, LocalProjection, latLonDistance, round6, type Projection } from './projection.js';
export { FLEET, drawSpeedMps, drawVehicle, type Vehicle, type VehicleClass } from './fleet.js';
export {
  PLANNING_SPEED_KMH,
  plannedMinutesBetween,
  plannedTravel,
  rideMs,
  wholeMinuteTravel,
  wholeMinutes,
  type TravelMinutes,
} from './travel-model.js';
export { CITY_SERVICE_MIN } from './service-times.js';
export { solveAssignment, type AssignmentResult } from './assignment.js';
export { createRng, cumulative, type Rng } from './rng.js';
export {
  buildGrid,
  CITY_CENTRE,
  ZONE_SIZE_M,
  cityLayout,
  cityZoneOutlines,
  zoneIndexAt,
  type ZoneGrid,
  type ZoneOutline,
} from './city-layout.js';
