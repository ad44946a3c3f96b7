import type { Page } from 'playwright-core';

// Instruments the live page from the outside, without changing the app: an init script wraps the
// page's WebSocket to count socket.io 'frame' messages as they arrive, and a MutationObserver notes
// the wall time at which each benchmark marker first shows in the event feed's DOM.

export const MARKER_PREFIX = 'bench-';

interface ProbeState {
  frames: number;
  /** the latest raw frame message (a reference, parsed only on demand) */
  lastRaw: string | null;
  /** marker id → wall ms its frame reached the page */
  frameAt: Record<string, number>;
  /** marker id → wall ms the server emitted that frame (its sentAt) */
  sentAt: Record<string, number>;
  /** marker id → wall ms it first appeared in the feed's DOM */
  domAt: Record<string, number>;
}

declare global {
  interface Window {
    __rfProbe?: ProbeState;
  }
}

// Plain JavaScript in a string: a serialised TypeScript function would carry the transpiler's
// helpers (tsx/esbuild add __name calls) into a page that does not define them.
const PROBE_SOURCE = String.raw`(() => {
  const prefix = PREFIX;
  const state = { frames: 0, lastRaw: null, frameAt: {}, sentAt: {}, domAt: {} };
  window.__rfProbe = state;
  const markerRe = new RegExp('order (' + prefix + '[\\w-]+) from', 'g');
  const Original = window.WebSocket;
  class CountingWebSocket extends Original {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (e) => {
        const data = e.data;
        // socket.io event packets are text: 42["frame",{...}], or 42<ack id>["frame",{...}] when the
        // server asks for an acknowledgement (it does: one frame in flight per browser)
        if (typeof data !== 'string' || !/^42\d*\["frame"/.test(data)) return;
        const at = Date.now();
        state.frames++;
        state.lastRaw = data;
        if (!data.includes(prefix)) return;
        const i = data.lastIndexOf('"sentAt":');
        const sentAt = i < 0 ? NaN : parseInt(data.slice(i + 9, i + 25), 10);
        for (const m of data.matchAll(markerRe)) {
          if (m[1] in state.frameAt) continue;
          state.frameAt[m[1]] = at;
          state.sentAt[m[1]] = sentAt;
        }
      });
    }
  }
  window.WebSocket = CountingWebSocket;
  const watch = () => {
    new MutationObserver(() => {
      const feed = document.querySelector('[data-testid=event-feed]');
      const text = feed && feed.textContent;
      if (!text || !text.includes(prefix)) return;
      const at = Date.now();
      for (const m of text.matchAll(markerRe)) if (!(m[1] in state.domAt)) state.domAt[m[1]] = at;
    }).observe(document, { childList: true, subtree: true, characterData: true });
  };
  watch();
})();`;

export async function installProbe(page: Page): Promise<void> {
  await page.addInitScript({ content: PROBE_SOURCE.replace('PREFIX', JSON.stringify(MARKER_PREFIX)) });
}

export async function framesReceived(page: Page): Promise<number> {
  return page.evaluate(() => window.__rfProbe?.frames ?? 0);
}

export interface FrameFacts {
  simTime: number;
  riders: number;
  zones: { id: string; bounds: [number, number, number, number] }[];
  stores: [string, number, number][];
  counts: { events: number };
}

/** the newest frame, parsed in the page (once in a while only: frames are large) */
export async function latestFrame(page: Page): Promise<FrameFacts | null> {
  return page.evaluate(() => {
    const raw = window.__rfProbe?.lastRaw;
    if (!raw) return null;
    const [, f] = JSON.parse(raw.slice(raw.indexOf('['))) as [string, { simTime: number; riders: unknown[]; zones: { id: string; bounds: [number, number, number, number] }[]; stores: [string, number, number][]; counts: { events: number } }];
    return { simTime: f.simTime, riders: f.riders.length, zones: f.zones.map((z) => ({ id: z.id, bounds: z.bounds })), stores: f.stores.slice(0, 5), counts: { events: f.counts.events } };
  });
}

export async function markerTimes(page: Page): Promise<{ frameAt: Record<string, number>; sentAt: Record<string, number>; domAt: Record<string, number> }> {
  return page.evaluate(() => ({ frameAt: window.__rfProbe?.frameAt ?? {}, sentAt: window.__rfProbe?.sentAt ?? {}, domAt: window.__rfProbe?.domAt ?? {} }));
}

export async function lastFrameBytes(page: Page): Promise<number | null> {
  return page.evaluate(() => window.__rfProbe?.lastRaw?.length ?? null);
}
