// @riderflow/simulator: the public surface of the simulated city, for benches, the policy lab,
// system tests and the dashboard. Everything else under src/ is internal.

// Running it: the CLI's options (also usable in process) and the live run against the brokers.
export { buildProgram, resolveOptions, parseDuration, InputError, DEFAULT_START, DEFAULT_HISTORY_START, type SimOptions } from './cli/options.js';
export { runSimulation, BrokerUnreachableError, type RunIo, type RunSummary } from './run.js';
// Building and stepping a world in process (history, oracles, the lab's replays).
export { buildScenario, type Scenario } from './scenario.js';
export { Simulation, type SimulationSettings, type SimulationStats, type InstructionOutcome } from './engine/simulation.js';
export { generateCity, type CityOptions } from './world/city.js';
export { defaultDemand, type DemandSettings, type PlannedOrder } from './world/demand.js';
export type { Shift } from './world/shifts.js';
export type { ZoneWeather } from './world/weather.js';
export type { World, Zone, Store, Customer, RiderProfile, Vehicle } from './world/world.js';
// The city's zone shapes, drawn by the dashboard's map.
export { cityZoneOutlines, type ZoneOutline } from '@riderflow/geo';
