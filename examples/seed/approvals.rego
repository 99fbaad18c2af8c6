package approvals
allow { input.resource == "production"; input.approved == true }
deny  { input.resource == "production"; not input.approved }
