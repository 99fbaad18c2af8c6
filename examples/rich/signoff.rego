package signoff

# The rich form: one `decision` object says allow, deny, or who must approve and how.
decision := {"allow": true} if input.environment != "production"

decision := {
	"allow": input.approved,
	"reason": "production deploys need two SREs",
	"approval": {
		"approvers": ["group:sre"],
		"min_approvals": 2,
		"channels": ["web"],
		"timeout": "1h",
		"self_approval": false,
		"grant_ttl": "30m",
	},
} if input.environment == "production"
