import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Scope } from '../config/index.js'
import { SignoffError } from '../domain/index.js'
import { hasScope, type Authenticator, type Caller } from '../services/index.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set by {@link requireScope}. */
    caller?: Caller
  }
}

/**
 * A preHandler that authenticates the bearer token and checks the scope: 401 without a known
 * token, 403 without the scope. `scope: null` accepts any valid token.
 */
export function requireScope(auth: Authenticator, scope: Scope | null): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
    if (!m) throw new SignoffError('SIGNOFF_UNAUTHENTICATED', 'missing bearer token (Authorization: Bearer …)')
    const caller = await auth.authenticate(m[1]!)
    if (!caller) throw new SignoffError('SIGNOFF_UNAUTHENTICATED', 'unknown bearer token')
    if (scope !== null && !hasScope(caller, scope)) {
      throw new SignoffError('SIGNOFF_FORBIDDEN', `this token lacks the ${scope} scope`, { scope })
    }
    request.caller = caller
  }
}

/** The caller set by {@link requireScope}. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new SignoffError('SIGNOFF_UNAUTHENTICATED', 'not authenticated')
  return request.caller
}
