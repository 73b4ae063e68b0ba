import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returning } from '../common/sql';
import { OutboxRow, OutboxStatus } from './outbox.types';

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inside the caller's transaction: the record exists if and only if the status change committed. */
  async add(manager: EntityManager, orderId: string, event: string, payload: unknown): Promise<void> {
    await manager.query(`INSERT INTO store.outbox (order_id, event, payload) VALUES ($1, $2, $3) ON CONFLICT (order_id, event) DO NOTHING`, [orderId, event, JSON.stringify(payload)]);
  }

  /**
   * Leases up to `limit` due records to this instance by pushing their next attempt `leaseMs`
   * ahead (SKIP LOCKED: instances never pick the same record). If the instance dies mid-delivery,
   * the lease runs out and another one delivers it: at-least-once, hence the idempotency key.
   */
  claimDue(limit: number, leaseMs: number): Promise<OutboxRow[]> {
    return returning<OutboxRow>(
      this.dataSource.manager,
      `UPDATE store.outbox SET next_attempt_at = now() + make_interval(secs => $2 / 1000.0)
       WHERE id IN (SELECT id FROM store.outbox WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [limit, leaseMs],
    );
  }

  async markDelivered(id: string, attempts: number): Promise<void> {
    await this.dataSource.query(`UPDATE store.outbox SET status = 'delivered', attempts = $2, delivered_at = now(), last_error = NULL WHERE id = $1`, [id, attempts]);
  }

  /** Records a failed attempt: retried after `retryInMs`, or marked failed when `retryInMs` is null. */
  async markAttemptFailed(id: string, attempts: number, error: string, retryInMs: number | null): Promise<void> {
    await this.dataSource.query(
      retryInMs === null
        ? `UPDATE store.outbox SET status = 'failed', attempts = $2, last_error = $3 WHERE id = $1`
        : `UPDATE store.outbox SET attempts = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4 / 1000.0) WHERE id = $1`,
      retryInMs === null ? [id, attempts, error] : [id, attempts, error, retryInMs],
    );
  }

  /** Puts a failed (or pending) record back in line with fresh attempts; null when it does not exist or was delivered. */
  async requeue(id: number): Promise<OutboxRow | null> {
    const rows = await returning<OutboxRow>(
      this.dataSource.manager,
      `UPDATE store.outbox SET status = 'pending', attempts = 0, next_attempt_at = now() WHERE id = $1 AND status <> 'delivered' RETURNING *`,
      [id],
    );
    return rows[0] ?? null;
  }

  async getById(id: number): Promise<OutboxRow | null> {
    const rows = await returning<OutboxRow>(this.dataSource.manager, `SELECT * FROM store.outbox WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async getPage(status: OutboxStatus | undefined, limit: number, offset: number): Promise<[OutboxRow[], number]> {
    const clause = status ? `WHERE status = $1` : '';
    const params = status ? [status] : [];
    const [{ count }] = await returning<{ count: string }>(this.dataSource.manager, `SELECT count(*) FROM store.outbox ${clause}`, params);
    const rows = await returning<OutboxRow>(
      this.dataSource.manager,
      `SELECT * FROM store.outbox ${clause} ORDER BY id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset],
    );
    return [rows, Number(count)];
  }
}
