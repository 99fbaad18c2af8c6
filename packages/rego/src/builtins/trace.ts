/**
 * `trace` (OPA `topdown/trace.go`): always true; the note is recorded for the query explanation.
 * Notes collect, in order, in the evaluation cache under {@link TRACE_NOTES_KEY}.
 */
import type { BuiltinContext, BuiltinRegistry } from './builtin.js'
import { stringOperand } from './operands.js'

/** `ctx.evalCache` key holding the evaluation's trace notes (a `string[]`). */
export const TRACE_NOTES_KEY = 'trace\u0000notes'

/** The notes `trace` recorded in this evaluation. */
export function traceNotes(ctx: Pick<BuiltinContext, 'evalCache'>): readonly string[] {
  const notes = ctx.evalCache.get(TRACE_NOTES_KEY)
  return Array.isArray(notes) ? (notes as string[]) : []
}

export function register(reg: BuiltinRegistry): void {
  reg.register({
    name: 'trace',
    args: [{ name: 'note', type: 'string', description: 'the note to include' }],
    result: { name: 'result', type: 'boolean', description: 'always `true`' },
    description:
      'Emits `note` as a `Note` event in the query explanation. Query explanations show the exact expressions evaluated by OPA during policy execution. For example, `trace("Hello There!")` includes `Note "Hello There!"` in the query explanation. To include variables in the message, use `sprintf`. For example, `person := "Bob"; trace(sprintf("Hello There! %v", [person]))` will emit `Note "Hello There! Bob"` inside of the explanation.',
    categories: ['tracing'],
    impl([n], ctx) {
      const note = stringOperand(n!, 1)
      const notes = ctx.evalCache.get(TRACE_NOTES_KEY)
      if (Array.isArray(notes)) notes.push(note)
      else ctx.evalCache.set(TRACE_NOTES_KEY, [note])
      return true
    },
  })
}
