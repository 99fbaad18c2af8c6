import type { Location } from './location.js'

/**
 * The Rego AST. Nodes are plain readonly objects with a `kind`; every node has a `location`.
 * Terms are the values and expressions of the language; `Expr` is one statement of a body.
 */
export type Term =
  | Scalar
  | Var
  | Ref
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayCompr
  | SetCompr
  | ObjectCompr
  | Call
  | TemplateString

export interface Scalar {
  readonly kind: 'Scalar'
  readonly value: null | boolean | number | bigint | string
  readonly location: Location
}

export interface Var {
  readonly kind: 'Var'
  readonly name: string
  readonly location: Location
  /** Set by the compiler: the variable's slot in its rule's (or query's) frame. */
  readonly slot?: number
}

/**
 * `head.a[b]...`. After compilation the head of a ref to a document is the Var `data` or `input`;
 * other heads are local variables or terms (`[1, 2][i]`, `f(x).y`).
 */
export interface Ref {
  readonly kind: 'Ref'
  readonly head: Term
  readonly path: readonly Term[]
  readonly location: Location
}

export interface ArrayTerm {
  readonly kind: 'Array'
  readonly items: readonly Term[]
  readonly location: Location
}

export interface ObjectTerm {
  readonly kind: 'Object'
  readonly entries: readonly (readonly [Term, Term])[]
  readonly location: Location
}

export interface SetTerm {
  readonly kind: 'Set'
  readonly items: readonly Term[]
  readonly location: Location
}

export interface ArrayCompr {
  readonly kind: 'ArrayCompr'
  readonly term: Term
  readonly body: Body
  readonly location: Location
}

export interface SetCompr {
  readonly kind: 'SetCompr'
  readonly term: Term
  readonly body: Body
  readonly location: Location
}

export interface ObjectCompr {
  readonly kind: 'ObjectCompr'
  readonly key: Term
  readonly value: Term
  readonly body: Body
  readonly location: Location
}

/** A call of a built-in or a function. `op` is the name as written (a Var or a Ref). */
export interface Call {
  readonly kind: 'Call'
  readonly op: Var | Ref
  readonly args: readonly Term[]
  readonly location: Location
  /** Set by the compiler: what the call invokes. */
  readonly target?: CallTarget
}

/** A resolved call: a built-in by name, or a user function by its path below `data`. */
export type CallTarget =
  | { readonly kind: 'builtin'; readonly name: string; readonly arity: number }
  | { readonly kind: 'func'; readonly path: readonly string[]; readonly arity: number }

/** `$"text {expr} text"`: literal strings and embedded terms. */
export interface TemplateString {
  readonly kind: 'TemplateString'
  readonly parts: readonly (string | Term)[]
  readonly location: Location
}

export type Body = readonly Expr[]

/** One statement of a body. */
export interface Expr {
  readonly kind: 'Expr'
  readonly negated: boolean
  readonly body: ExprBody
  readonly with: readonly With[]
  readonly location: Location
}

export type ExprBody = Term | SomeDecl | Every

/** `some x, y` or `some k, v in xs` (then `symbols` holds one `internal.member_2/3` call). */
export interface SomeDecl {
  readonly kind: 'SomeDecl'
  readonly symbols: readonly Term[]
  readonly location: Location
}

/** `every k, v in domain { body }`. */
export interface Every {
  readonly kind: 'Every'
  readonly key: Term | undefined
  readonly value: Term
  readonly domain: Term
  readonly body: Body
  readonly location: Location
}

export interface With {
  readonly kind: 'With'
  readonly target: Term
  readonly value: Term
  readonly location: Location
}

/**
 * A rule. `head.ref` is the rule's path relative to the package (`p`, `a.b[c].d`); `key` is set
 * for partial sets (`contains`, v0 `p[x]`), `args` for functions.
 */
export interface Rule {
  readonly kind: 'Rule'
  readonly default: boolean
  readonly head: RuleHead
  readonly body: Body
  readonly else: Rule | undefined
  readonly location: Location
  readonly annotations: Annotations | undefined
  /** Index of the module this rule came from. */
  readonly module: Module
}

export interface RuleHead {
  readonly ref: readonly Term[]
  readonly args: readonly Term[] | undefined
  readonly key: Term | undefined
  readonly value: Term | undefined
  readonly assign: boolean
  readonly location: Location
}

export interface Import {
  readonly kind: 'Import'
  /** `data.x.y`, `input.x`, `future.keywords.in`, `rego.v1`. */
  readonly path: Ref | Var
  readonly alias: string | undefined
  readonly location: Location
}

export interface Package {
  readonly kind: 'Package'
  /** Path below `data`, e.g. ["a", "b"] for `package a.b`. */
  readonly path: readonly string[]
  readonly location: Location
}

export interface Annotations {
  readonly scope: string
  readonly data: Readonly<Record<string, unknown>>
  readonly location: Location
}

export interface Module {
  readonly kind: 'Module'
  readonly file: string
  readonly regoVersion: 0 | 1
  readonly package: Package
  readonly imports: readonly Import[]
  readonly rules: Rule[]
  readonly annotations: readonly Annotations[]
  readonly source: string
}
