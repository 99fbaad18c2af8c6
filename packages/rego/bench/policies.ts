/** Policies the benchmarks evaluate. */

/** The RBAC example of OPA's policy-performance.md, reading `input` instead of the constant `inp`. */
export const RBAC = `package rbac

bindings := [
	{"user": "alice", "roles": ["dev", "test"]},
	{"user": "bob", "roles": ["test"]},
]

roles := [
	{
		"name": "dev",
		"permissions": [
			{"resource": "foo123", "action": "write"},
			{"resource": "foo123", "action": "read"},
		],
	},
	{
		"name": "test",
		"permissions": [{"resource": "foo123", "action": "read"}],
	},
]

default allow := false

allow if {
	some role_name
	user_has_role[role_name]
	role_has_permission[role_name]
}

user_has_role contains role_name if {
	binding := bindings[_]
	binding.user == input.subject
	role_name := binding.roles[_]
}

role_has_permission contains role_name if {
	role := roles[_]
	role_name := role.name
	perm := role.permissions[_]
	perm.resource == input.resource
	perm.action == input.action
}
`

export const RBAC_INPUTS = [
  { subject: 'bob', resource: 'foo123', action: 'write' },
  { subject: 'alice', resource: 'foo123', action: 'write' },
  { subject: 'bob', resource: 'foo123', action: 'read' },
  { subject: 'carol', resource: 'bar', action: 'read' },
]

/** The seed policy of design.md §3, exactly as written (Rego v0). */
export const SEED = `package approvals
allow { input.resource == "production"; input.approved == true }
deny  { input.resource == "production"; not input.approved }
`

export const SEED_INPUTS = [
  { resource: 'production', action: 'deploy', approved: false },
  { resource: 'production', action: 'deploy', approved: true },
  { resource: 'staging', action: 'deploy', approved: false },
]

/** A policy whose every evaluation uses regex.match, glob.match, sprintf and time.parse_rfc3339_ns. */
export const BUILTINS = `package builtins

allow if {
	regex.match("^deploy-[a-z]+-[0-9]+$", input.job)
	glob.match("prod.*.eu-*", ["."], input.target)
	msg := sprintf("%s by %s at %d", [input.job, input.user, time.parse_rfc3339_ns(input.at)])
	count(msg) > 10
}
`

export const BUILTIN_INPUTS = [
  { job: 'deploy-api-42', target: 'prod.payments.eu-west-1', user: 'alice', at: '2026-11-25T10:00:00Z' },
  { job: 'deploy-web-7', target: 'staging.web.us-east-1', user: 'bob', at: '2026-11-25T11:30:00.123456789Z' },
]

/** A generated policy of `n` rules over `n / 4` packages-worth of conditions. */
export function generatedPolicy(n: number): string {
  const lines = ['package gen', '']
  for (let i = 0; i < n; i++) {
    const kind = i % 4
    if (kind === 0) lines.push(`allow if {\n\tinput.user == "user${i}"\n\tinput.action in {"read", "write"}\n}`)
    else if (kind === 1) lines.push(`deny contains msg if {\n\tinput.resource == "res${i}"\n\tmsg := sprintf("resource %s is locked", [input.resource])\n}`)
    else if (kind === 2) lines.push(`limits["tier${i}"] := ${i} if input.tier == "tier${i}"`)
    else lines.push(`check_${i}(x) := y if {\n\ty := x * ${i}\n\ty > 10\n}`)
    lines.push('')
  }
  return lines.join('\n')
}
