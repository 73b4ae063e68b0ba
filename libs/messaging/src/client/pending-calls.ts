import { RpcErrorCode } from '@fleet/contracts';
import { RpcError } from '../errors/rpc-error';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: RpcError) => void;
  timer: NodeJS.Timeout;
}

/**
 * Calls waiting for their reply, by correlation id. Every entry has a timer, so each call ends:
 * with its reply, with DeadlineExceeded, or with the error of whatever ended the wait first.
 */
export class PendingCalls {
  private readonly calls = new Map<string, Pending>();

  add(id: string, method: string, deadlineMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.reject(id, new RpcError(RpcErrorCode.DeadlineExceeded, `${method} did not answer within its ${deadlineMs} ms deadline`, { method, deadlineMs }));
      }, deadlineMs);
      this.calls.set(id, { resolve, reject, timer });
    });
  }

  resolve(id: string, value: unknown): void {
    this.take(id)?.resolve(value);
  }

  reject(id: string, error: RpcError): void {
    this.take(id)?.reject(error);
  }

  rejectAll(error: RpcError): void {
    for (const id of [...this.calls.keys()]) this.reject(id, error);
  }

  get size(): number {
    return this.calls.size;
  }

  private take(id: string): Pending | undefined {
    const pending = this.calls.get(id);
    if (!pending) return undefined;
    this.calls.delete(id);
    clearTimeout(pending.timer);
    return pending;
  }
}
