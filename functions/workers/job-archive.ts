/**
 * Job records in the Durable Object's SQLite storage (docs/design.md, "Workers"): every change the broker makes is
 * written here synchronously, so reads (GET /jobs, idempotency keys) and a restarted object see the same state.
 * Finished jobs are kept up to `maxRetained`, the oldest dropped first, with their idempotency keys.
 */
import type { DurableObjectStorage } from 'cloudflare:workers';
import { type Job, type JobStatus, TERMINAL } from '../src/jobs/types';

type Row = { body: string };

export class JobArchive {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly maxRetained: number,
  ) {
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS jobs (
      id TEXT PRIMARY KEY, status TEXT NOT NULL, tool TEXT NOT NULL, principal TEXT NOT NULL, idem TEXT,
      created_at INTEGER NOT NULL, finished_at INTEGER, lease_expires_at INTEGER, body TEXT NOT NULL)`);
    storage.sql.exec('CREATE INDEX IF NOT EXISTS jobs_finished ON jobs(finished_at) WHERE finished_at IS NOT NULL');
    storage.sql.exec('CREATE INDEX IF NOT EXISTS jobs_key ON jobs(principal, idem) WHERE idem IS NOT NULL');
  }

  save(job: Job): void {
    const finished = TERMINAL.has(job.status) ? (job.finishedAt ?? Date.now()) : null;
    const lease = job.status === 'running' ? (job.leaseExpiresAt ?? null) : null;
    this.storage.sql.exec(
      // An upsert keeps the row id, so listings stay in the order jobs were created, as in memory.
      `INSERT INTO jobs (id, status, tool, principal, idem, created_at, finished_at, lease_expires_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at,
       lease_expires_at = excluded.lease_expires_at, body = excluded.body`,
      job.id,
      job.status,
      job.tool,
      job.principal,
      job.idempotencyKey ?? null,
      job.createdAt,
      finished,
      lease,
      JSON.stringify(job),
    );
    if (finished !== null) this.prune();
  }

  get(id: string): Job | undefined {
    return this.first(this.storage.sql.exec<Row>('SELECT body FROM jobs WHERE id = ?', id).toArray());
  }

  findByKey(principal: string, key: string): Job | undefined {
    return this.first(
      this.storage.sql.exec<Row>('SELECT body FROM jobs WHERE principal = ? AND idem = ? ORDER BY rowid DESC LIMIT 1', principal, key).toArray(),
    );
  }

  list(filter: { status?: JobStatus | undefined; tool?: string | undefined }): Job[] {
    const rows = this.storage.sql
      .exec<Row>(
        'SELECT body FROM jobs WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR tool = ?2) ORDER BY rowid',
        filter.status ?? null,
        filter.tool ?? null,
      )
      .toArray();
    return rows.map((r) => JSON.parse(r.body) as Job);
  }

  /** Jobs that had not ended, oldest first: what a restarted object must take up again (restore.ts). */
  live(): Job[] {
    return this.storage.sql
      .exec<Row>('SELECT body FROM jobs WHERE finished_at IS NULL ORDER BY rowid')
      .toArray()
      .map((r) => JSON.parse(r.body) as Job);
  }

  /** When the earliest running lease runs out, if any: the time of the object's alarm. */
  nextLeaseExpiry(): number | undefined {
    const row = this.storage.sql.exec<{ at: number | null }>('SELECT MIN(lease_expires_at) AS at FROM jobs WHERE finished_at IS NULL').one();
    return row.at ?? undefined;
  }

  private prune(): void {
    this.storage.sql.exec(
      'DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC LIMIT -1 OFFSET ?)',
      this.maxRetained,
    );
  }

  private first(rows: Row[]): Job | undefined {
    const row = rows[0];
    return row ? (JSON.parse(row.body) as Job) : undefined;
  }
}
