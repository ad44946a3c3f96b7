// Plain counters the hot paths bump; /metrics reads them at scrape time (no prom-client calls per message).
export interface ServerStats {
  connectionsOpened: number;
  channels: number;
  published: number;
  confirmed: number;
  nacked: number;
  returned: number;
  delivered: number;
  acked: number;
  rejected: number;
  bytesIn: number;
  bytesOut: number;
}

export function newServerStats(): ServerStats {
  return {
    connectionsOpened: 0,
    channels: 0,
    published: 0,
    confirmed: 0,
    nacked: 0,
    returned: 0,
    delivered: 0,
    acked: 0,
    rejected: 0,
    bytesIn: 0,
    bytesOut: 0,
  };
}
