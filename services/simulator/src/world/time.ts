/** The city runs on UTC: "12:00" in the simulation is 12:00Z. Keeps replay arithmetic trivial. */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function dayStart(t: number): number {
  return Math.floor(t / DAY) * DAY;
}
export function hourOfDay(t: number): number {
  return (t - dayStart(t)) / HOUR;
}
/** 0 = Monday … 6 = Sunday. */
export function dayOfWeek(t: number): number {
  return (new Date(t).getUTCDay() + 6) % 7;
}
export function formatSimTime(t: number): string {
  const d = new Date(t);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return `${days[d.getUTCDay()]} ${d.toISOString().slice(0, 16).replace('T', ' ')}`;
}
