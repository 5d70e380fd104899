package cli

import (
	"fmt"
	"time"
)

// durationFlag is a Go duration flag ("30s", "5m") that rejects negative
// values with a message naming the flag's expectation.
type durationFlag struct{ d time.Duration }

func (f *durationFlag) String() string { return f.d.String() }

func (f *durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration such as 30s or 5m")
	}
	if d < 0 {
		return fmt.Errorf("want a duration of 0 (no limit) or more")
	}
	f.d = d
	return nil
}
