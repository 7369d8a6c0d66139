import type { ScheduleWindow } from '../../api/schemas/settings/availability.js';

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * True when local time `now` falls in one of the weekly windows. A window whose end is before
 * its start runs past midnight into the next day; start = end means the whole day.
 */
export function inSchedule(windows: ScheduleWindow[], now: Date): boolean {
  const day = now.getDay();
  const prev = (day + 6) % 7;
  const t = now.getHours() * 60 + now.getMinutes();
  return windows.some((w) => {
    const start = minutes(w.start);
    const end = minutes(w.end);
    if (start === end) return w.days.includes(day);
    if (start < end) return w.days.includes(day) && t >= start && t < end;
    return (w.days.includes(day) && t >= start) || (w.days.includes(prev) && t < end);
  });
}
