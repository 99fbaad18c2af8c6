import type { FastifyError, FastifyInstance } from 'fastify'
import { SignoffError, type SignoffErrorCode } from '../domain/index.js'

const FASTIFY_CODES: Readonly<Record<string, SignoffErrorCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'SIGNOFF_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'SIGNOFF_MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'SIGNOFF_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'SIGNOFF_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'SIGNOFF_VALIDATION_FAILED',
}

/**
 * Maps every error to `{code, message, details?}` with its stable code and status: schema
 * failures name the field, JSON syntax errors and oversized bodies get their own codes, and
 * unknown faults are logged and answered as SIGNOFF_INTERNAL without their message.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | SignoffError, request, reply) => {
    const e = toSignoffError(err)
    if (e.code === 'SIGNOFF_INTERNAL') request.log.error({ err }, 'unhandled error')
    else request.log.info({ code: e.code }, e.message)
    return reply.code(e.status).type('application/json').send(e.toJSON())
  })
  app.setNotFoundHandler((request, reply) => {
    const e = new SignoffError('SIGNOFF_ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)
    return reply.code(404).send(e.toJSON())
  })
}

function toSignoffError(err: FastifyError | SignoffError): SignoffError {
  if (err instanceof SignoffError) return err
  const fe = err as FastifyError & { validation?: Array<{ instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> }>; validationContext?: string }
  if (fe.validation) {
    const where = fe.validationContext ?? 'body'
    const problems = fe.validation.map((v) => {
      let path = `${where}${(v.instancePath ?? '').replace(/\//g, '.')}`
      let message = v.message ?? 'is invalid'
      if (v.keyword === 'additionalProperties' && v.params?.['additionalProperty']) {
        path = `${path}.${String(v.params['additionalProperty'])}`
        message = 'is not a known field'
      }
      if (v.keyword === 'required' && v.params?.['missingProperty']) {
        path = `${path}.${String(v.params['missingProperty'])}`
        message = 'is required'
      }
      return { field: path, message }
    })
    const first = problems[0]!
    return new SignoffError('SIGNOFF_VALIDATION_FAILED', `${first.field} ${first.message}`, { problems })
  }
  const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined
  if (mapped) return new SignoffError(mapped, mapped === 'SIGNOFF_MALFORMED_JSON' ? `body is not valid JSON: ${fe.message}` : fe.message)
  if (fe.statusCode === 413) return new SignoffError('SIGNOFF_BODY_TOO_LARGE', fe.message)
  if (fe.statusCode === 415) return new SignoffError('SIGNOFF_UNSUPPORTED_MEDIA_TYPE', fe.message)
  if (fe.statusCode === 400 && fe instanceof SyntaxError) return new SignoffError('SIGNOFF_MALFORMED_JSON', `body is not valid JSON: ${fe.message}`)
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new SignoffError('SIGNOFF_VALIDATION_FAILED', fe.message)
  return new SignoffError('SIGNOFF_INTERNAL', 'internal error')
}
