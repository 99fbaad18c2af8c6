/**
 * @signoff/rego — a pure TypeScript Rego engine. This file is the package's only public entry.
 */
export { Engine, PreparedQuery, parseModule, parseTerm } from './engine.js'
export type { AddPolicyOptions, DetailedResult, EngineOptions, EvalOptions } from './engine.js'
export { RegoError, RegoErrors } from './ast/errors.js'
export type { RegoErrorCode } from './ast/errors.js'
export type { Location } from './ast/location.js'
export type { Module } from './ast/nodes.js'
export { BuiltinRegistry, BuiltinError, OperandError, defaultRegistry } from './builtins/index.js'
export type { Builtin, BuiltinContext, BuiltinDecl, ArgDecl } from './builtins/index.js'
export { RObject, RSet, compare, equal, typeName } from './value/value.js'
export type { Value } from './value/value.js'
export { fromJS, toJS, toJSONText } from './value/json.js'
export { formatValue } from './value/format.js'
/** Empties `http.send`'s cache across evaluations (call it when policies reload). */
export { clearHttpSendCache } from './builtins/http.js'
/** Stops the worker thread network built-ins use (it is unref'ed, so exiting never waits on it). */
export { stopNetworkWorker } from './builtins/http-worker.js'
