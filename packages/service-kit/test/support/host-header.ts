import http from 'node:http';

/**
 * GET `path` on 127.0.0.1:`port` with this Host header (fetch() cannot set Host; node:http can):
 * how the services' tests check the DNS-rebinding guard of their /healthz and /metrics.
 */
export function getWithHost(port: number, host: string, path = '/healthz'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}
