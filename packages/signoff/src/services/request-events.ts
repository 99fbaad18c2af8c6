import { EventEmitter } from 'node:events'

/**
 * In-process wakeups for waiters (long-poll, SSE): `emit(id)` after a committed change;
 * on PostgreSQL the store's LISTEN feeds changes from other replicas into the same emitter.
 */
export class RequestEvents {
  readonly #emitter = new EventEmitter()

  constructor() {
    this.#emitter.setMaxListeners(0)
  }

  /** Tells every waiter on `requestId` that it may have changed. */
  emit(requestId: string): void {
    this.#emitter.emit(requestId)
  }

  /** Calls `fn` on every change of `requestId`; returns the unsubscribe function. */
  subscribe(requestId: string, fn: () => void): () => void {
    this.#emitter.on(requestId, fn)
    return () => this.#emitter.off(requestId, fn)
  }

  /** Resolves on the next change, after `timeoutMs`, or when `signal` aborts; `true` on a change. */
  next(requestId: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      let done = false
      const finish = (changed: boolean): void => {
        if (done) return
        done = true
        clearTimeout(timer)
        unsubscribe()
        signal?.removeEventListener('abort', onAbort)
        resolve(changed)
      }
      const onAbort = (): void => finish(false)
      const unsubscribe = this.subscribe(requestId, () => finish(true))
      const timer = setTimeout(() => finish(false), Math.max(0, timeoutMs))
      signal?.addEventListener('abort', onAbort)
      if (signal?.aborted) finish(false)
    })
  }
}
