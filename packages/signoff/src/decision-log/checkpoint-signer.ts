import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'

/** Signs and checks decision-log checkpoints with Ed25519 (key kept outside the database). */
export class CheckpointSigner {
  readonly #key: KeyObject
  /** The public key, SPKI PEM, stored beside each checkpoint. */
  readonly publicKey: string

  /** @param privateKeyPem an Ed25519 private key in PEM (PKCS#8). */
  constructor(privateKeyPem: string) {
    this.#key = createPrivateKey(privateKeyPem)
    if (this.#key.asymmetricKeyType !== 'ed25519') throw new TypeError('checkpoint key must be an Ed25519 private key')
    this.publicKey = createPublicKey(this.#key).export({ type: 'spki', format: 'pem' }).toString()
  }

  /** Signature (base64) over `seq:hash`. */
  sign(seq: number, hash: string): string {
    return sign(null, Buffer.from(`${seq}:${hash}`), this.#key).toString('base64')
  }
}

/** Whether `signature` is a valid Ed25519 signature of `seq:hash` by `publicKeyPem`. */
export function verifyCheckpoint(publicKeyPem: string, seq: number, hash: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(`${seq}:${hash}`), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'))
  } catch {
    return false
  }
}
