import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from './principal';

/** A console sign-in: who it is (never the API key it began with) and its CSRF token. */
export interface Session {
  principal: Principal;
  csrfToken: string;
  /** When it expires unless used before: idle timeout from its last use, capped by its absolute lifetime. */
  expiresAt: Date;
}

/**
 * Where sessions are kept. Asynchronous so that a shared store (the records store, which several
 * API replicas need) can take the in-memory one's place without changing its callers.
 */
export interface SessionStore {
  /** A session's absolute lifetime in seconds (the cookie's Max-Age). */
  readonly lifetimeSeconds: number;
  /** Opens a session; the returned id is the only way back to it. */
  open(principal: Principal): Promise<{ id: string; session: Session }>;
  /** The live session with this id, its idle timeout restarted; 'expired' once it has timed out. */
  use(id: string): Promise<Session | 'expired' | undefined>;
  /** Ends a session at once (sign-out). */
  end(id: string): Promise<void>;
}

export interface MemorySessionOptions {
  idleMinutes: number;
  maxHours: number;
  /** The clock, injectable so tests can let a session time out. */
  now?: () => number;
}

interface SessionRecord {
  principal: Principal;
  csrfToken: string;
  openedAt: number;
  usedAt: number;
}

const newToken = () => randomBytes(32).toString('base64url');
// Kept by hash, so what the store holds cannot be replayed as a cookie.
const keyOf = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

/** Sessions in this process's memory: enough for one API process (see README, "Access"). */
export function memorySessionStore({ idleMinutes, maxHours, now = Date.now }: MemorySessionOptions): SessionStore {
  const idleMs = idleMinutes * 60_000;
  const maxMs = maxHours * 3_600_000;
  const records = new Map<string, SessionRecord>();
  const expiryOf = (r: SessionRecord) => Math.min(r.usedAt + idleMs, r.openedAt + maxMs);
  const view = (r: SessionRecord): Session => ({ principal: r.principal, csrfToken: r.csrfToken, expiresAt: new Date(expiryOf(r)) });
  return {
    lifetimeSeconds: Math.floor(maxMs / 1000),
    open(principal) {
      const at = now();
      // Forget the sessions that timed out unused, so abandoned ones do not pile up.
      for (const [key, r] of records) if (expiryOf(r) <= at) records.delete(key);
      const id = newToken();
      const record: SessionRecord = { principal, csrfToken: newToken(), openedAt: at, usedAt: at };
      records.set(keyOf(id), record);
      return Promise.resolve({ id, session: view(record) });
    },
    use(id) {
      const key = keyOf(id);
      const record = records.get(key);
      if (!record) return Promise.resolve(undefined);
      const at = now();
      if (expiryOf(record) <= at) {
        records.delete(key);
        return Promise.resolve('expired');
      }
      record.usedAt = at;
      return Promise.resolve(view(record));
    },
    end(id) {
      records.delete(keyOf(id));
      return Promise.resolve();
    },
  };
}
