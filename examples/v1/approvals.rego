package approvals

# The seed policy (examples/seed/approvals.rego) in Rego v1 syntax.
allow if { input.resource == "production"; input.approved == true }
deny if { input.resource == "production"; not input.approved }
