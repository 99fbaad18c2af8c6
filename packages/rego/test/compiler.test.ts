import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compileModules, STAGES } from '../src/compiler/compiler.js'
import { defaultRegistry, parseModule, RegoErrors } from '../src/index.js'

const recursive = parseModule('r.rego', 'package r\np if q\nq if p\n')

test('stages run in order and can stop after a named stage', () => {
  assert.deepEqual(
    STAGES.map((s) => s.name),
    ['ClassifyRuleHeads', 'CompileRules', 'SetRuleTree', 'CheckRecursion'],
  )
  const upToTree = compileModules([recursive], defaultRegistry(), { stopAfter: 'SetRuleTree' })
  assert.equal(upToTree.root.children.get('r')?.children.size, 2)
  assert.throws(() => compileModules([recursive], defaultRegistry()), (e: unknown) => e instanceof RegoErrors && e.code === 'rego_recursion_error')
})

test('safety reorders a body so bindings come before their uses', () => {
  const m = parseModule('s.rego', 'package s\np := y if {\n  y == x\n  x = input.a\n  y = x\n}\n')
  const policy = compileModules([m], defaultRegistry())
  const rule = policy.rules[0]!
  const order = rule.body.map((e) => e.location.row)
  assert.deepEqual(order, [4, 5, 3])
})

test('errors of one stage are reported together', () => {
  const m = parseModule('e.rego', 'package e\np if { a > 1 }\nq if { b > 1 }\n')
  assert.throws(
    () => compileModules([m], defaultRegistry()),
    (e: unknown) => e instanceof RegoErrors && e.errors.length === 2 && e.errors.every((x) => x.code === 'rego_unsafe_var_error'),
  )
})
