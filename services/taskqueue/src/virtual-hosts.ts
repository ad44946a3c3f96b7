// Virtual hosts: each vhost is a broker core of its own (its own exchanges, queues, bindings and
// message store), so nothing can leak between them. The default vhost "/" keeps the data
// directory's root (existing data stays where it is); others live in vhosts/<hex of the name>/.
// The list of vhosts and each user's permitted vhosts are kept in vhosts.json.
// Permissions are per vhost and all-or-nothing (RabbitMQ's configure/write/read regular
// expressions are stored and shown, but any permission entry grants access to the vhost).

import fs from 'node:fs';
import path from 'node:path';
import type { Broker } from './broker/contract.js';

export interface Permission {
  configure: string;
  write: string;
  read: string;
}

interface SavedState {
  vhosts: string[];
  /** vhost → user → permission */
  permissions: Record<string, Record<string, Permission>>;
}

export const DEFAULT_VHOST = '/';
const FULL: Permission = { configure: '.*', write: '.*', read: '.*' };

export class VirtualHosts {
  private readonly brokers = new Map<string, Broker>();
  private readonly permissions = new Map<string, Map<string, Permission>>();
  /** called when a vhost is deleted, so the AMQP server can close its connections */
  onDeleted: (vhost: string) => void = () => {};

  private constructor(
    private readonly dataDir: string,
    private readonly openAt: (dataDir: string, vhost: string) => Promise<Broker>,
  ) {}

  /** Opens the default vhost, every vhost saved before, and those `declare` (config) lists. */
  static async open(dataDir: string, users: Iterable<string>, openAt: (dataDir: string, vhost: string) => Promise<Broker>, declare: string[] = []): Promise<VirtualHosts> {
    const userNames = [...users];
    const v = new VirtualHosts(dataDir, openAt);
    const saved = v.load();
    v.brokers.set(DEFAULT_VHOST, await openAt(dataDir, DEFAULT_VHOST));
    for (const [vhost, perms] of Object.entries(saved?.permissions ?? {})) v.permissions.set(vhost, new Map(Object.entries(perms)));
    for (const name of new Set([...(saved?.vhosts ?? []), ...declare])) {
      if (name === DEFAULT_VHOST) continue;
      validateName(name);
      v.brokers.set(name, await openAt(v.dirOf(name), name));
    }
    // users from config may always use "/" and the vhosts from config (granted again at each
    // start, so adding a user to --users is enough); vhosts declared through the API keep
    // exactly the permissions they were given
    for (const name of [DEFAULT_VHOST, ...declare]) {
      const perms = v.permissions.get(name) ?? new Map<string, Permission>();
      for (const u of userNames) if (!perms.has(u)) perms.set(u, FULL);
      v.permissions.set(name, perms);
    }
    v.save();
    return v;
  }

  get default(): Broker {
    return this.brokers.get(DEFAULT_VHOST)!;
  }

  names(): string[] {
    return [...this.brokers.keys()];
  }

  broker(vhost: string): Broker | undefined {
    return this.brokers.get(vhost);
  }

  allowed(user: string, vhost: string): boolean {
    return this.permissions.get(vhost)?.has(user) ?? false;
  }

  permissionsOf(vhost?: string): Array<{ vhost: string; user: string } & Permission> {
    const out: Array<{ vhost: string; user: string } & Permission> = [];
    for (const [v, perms] of this.permissions) {
      if (vhost !== undefined && v !== vhost) continue;
      if (!this.brokers.has(v)) continue;
      for (const [user, p] of perms) out.push({ vhost: v, user, ...p });
    }
    return out;
  }

  /** true when it was created; the creating user gets full permissions on it (as RabbitMQ's HTTP API does) */
  async declare(vhost: string, creator?: string): Promise<boolean> {
    validateName(vhost);
    if (this.brokers.has(vhost)) return false;
    const dir = this.dirOf(vhost);
    fs.rmSync(dir, { recursive: true, force: true }); // leftovers of a vhost deleted while down
    this.brokers.set(vhost, await this.openAt(dir, vhost));
    const perms = this.permissions.get(vhost) ?? new Map<string, Permission>();
    if (creator !== undefined && !perms.has(creator)) perms.set(creator, FULL);
    this.permissions.set(vhost, perms);
    this.save();
    return true;
  }

  /** false when there is no such vhost; its connections are closed and its data removed */
  async delete(vhost: string): Promise<boolean> {
    const b = this.brokers.get(vhost);
    if (!b) return false;
    this.brokers.delete(vhost);
    this.permissions.delete(vhost);
    this.save();
    this.onDeleted(vhost);
    await b.close();
    if (vhost !== DEFAULT_VHOST) fs.rmSync(this.dirOf(vhost), { recursive: true, force: true });
    return true;
  }

  setPermission(vhost: string, user: string, p: Permission): boolean {
    if (!this.brokers.has(vhost)) throw new Error(`no vhost '${vhost}'`);
    const perms = this.permissions.get(vhost) ?? new Map<string, Permission>();
    const created = !perms.has(user);
    perms.set(user, p);
    this.permissions.set(vhost, perms);
    this.save();
    return created;
  }

  clearPermission(vhost: string, user: string): boolean {
    const removed = this.permissions.get(vhost)?.delete(user) ?? false;
    if (removed) this.save();
    return removed;
  }

  async close(): Promise<void> {
    for (const b of this.brokers.values()) await b.close();
  }

  private dirOf(vhost: string): string {
    return path.join(this.dataDir, 'vhosts', Buffer.from(vhost, 'utf8').toString('hex'));
  }

  private get stateFile(): string {
    return path.join(this.dataDir, 'vhosts.json');
  }

  private load(): SavedState | null {
    try {
      return JSON.parse(fs.readFileSync(this.stateFile, 'utf8')) as SavedState;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`cannot read ${this.stateFile}: ${(err as Error).message}`);
    }
  }

  private save(): void {
    const state: SavedState = {
      vhosts: this.names().filter((n) => n !== DEFAULT_VHOST),
      permissions: Object.fromEntries([...this.permissions].map(([v, m]) => [v, Object.fromEntries(m)])),
    };
    fs.mkdirSync(this.dataDir, { recursive: true });
    const tmp = `${this.stateFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
    fs.renameSync(tmp, this.stateFile);
  }
}

function validateName(vhost: string): void {
  if (vhost === '' || vhost.length > 255) throw new VhostNameError(`vhost name must be 1 to 255 characters, got ${vhost.length}`);
}

export class VhostNameError extends Error {}
