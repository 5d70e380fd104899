package render

// Exit statuses of the command-line tool, which its outputs name (the
// matrix's result line says which it ends with).
const (
	// ExitHolds: every property holds (every matrix cell as expected).
	ExitHolds = 0
	// ExitViolated: a property is violated (a matrix cell differs from
	// its expectation; trace found no trace; replay's file is not a
	// behaviour of the model).
	ExitViolated = 1
	// ExitUsage: usage or input error.
	ExitUsage = 2
	// ExitIncomplete: a limit was reached or the run was interrupted
	// before every property was decided.
	ExitIncomplete = 3
)
