import { ChainVerifier, verifyCheckpoint, toOpaEvent, type CheckpointSigner, type OpaDecisionEvent } from '../decision-log/index.js'
import { GENESIS_HASH } from '../domain/index.js'
import type { Store } from '../store/index.js'

/** The verdict of a full check. */
export type VerifyResult =
  | { readonly ok: true; readonly entries: number; readonly head: string; readonly checkpoints: number }
  | { readonly ok: false; readonly seq: number; readonly id: string | null; readonly reason: string }

const PAGE = 1000

/** Verification, export and checkpoints of the decision log. */
export class DecisionLogService {
  readonly #store: Store
  readonly #package: string

  constructor(store: Store, policyPackage: string) {
    this.#store = store
    this.#package = policyPackage
  }

  /** Walks the whole chain and every checkpoint; names the first entry that does not check out. */
  async verify(): Promise<VerifyResult> {
    const verifier = new ChainVerifier(GENESIS_HASH)
    const hashes = new Map<number, string>()
    const checkpoints = await this.#store.checkpoints()
    const wanted = new Set(checkpoints.map((c) => c.seq))
    let after = 0
    for (;;) {
      const page = await this.#store.logEntries(after, PAGE)
      for (const e of page) {
        const broken = verifier.push(e)
        if (broken) return broken
        if (wanted.has(e.seq)) hashes.set(e.seq, e.hash)
      }
      if (page.length < PAGE) break
      after = page[page.length - 1]!.seq
    }
    const verdict = verifier.finish(await this.#store.logHead())
    if (!verdict.ok) return verdict
    for (const c of checkpoints) {
      if (hashes.get(c.seq) !== c.hash) return { ok: false, seq: c.seq, id: null, reason: `checkpoint at ${c.seq} does not match the entry` }
      if (!verifyCheckpoint(c.publicKey, c.seq, c.hash, c.signature)) return { ok: false, seq: c.seq, id: null, reason: `checkpoint at ${c.seq} has a bad signature` }
    }
    return { ok: true, entries: verdict.count, head: verdict.headHash, checkpoints: checkpoints.length }
  }

  /** Writes every entry as an OPA decision-log event, one JSON document per line. */
  async export(write: (line: string) => void | Promise<void>, after = 0): Promise<number> {
    let n = 0
    const inputs = new Map<string, unknown>()
    for (;;) {
      const page = await this.#store.logEntries(after, PAGE)
      for (const e of page) {
        if (!inputs.has(e.requestId)) {
          if (inputs.size > 10_000) inputs.clear()
          inputs.set(e.requestId, (await this.#store.getRequest(e.requestId))?.input ?? null)
        }
        const event: OpaDecisionEvent = toOpaEvent(e, inputs.get(e.requestId), this.#package)
        await write(JSON.stringify(event))
        n++
      }
      if (page.length < PAGE) return n
      after = page[page.length - 1]!.seq
    }
  }

  /** Signs the chain's tip unless it is already checkpointed; returns the seq signed, or `null`. */
  async checkpoint(signer: CheckpointSigner, now: number): Promise<number | null> {
    const head = await this.#store.logHead()
    if (head.seq === 0) return null
    const last = (await this.#store.checkpoints()).at(-1)
    if (last && last.seq >= head.seq) return null
    await this.#store.insertCheckpoint({ seq: head.seq, hash: head.hash, at: now, publicKey: signer.publicKey, signature: signer.sign(head.seq, head.hash) })
    return head.seq
  }
}
