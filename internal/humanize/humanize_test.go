package humanize

import (
	"testing"
	"time"
)

func TestHumanNumbers(t *testing.T) {
	cases := []struct{ got, want string }{
		{Short(950), "950"}, {Short(1234), "1.2k"}, {Short(340_000), "340k"}, {Short(2_100_000), "2.1M"},
		{Short(3e9), "3.0G"}, {Grouped(0), "0"}, {Grouped(999), "999"}, {Grouped(1000), "1,000"},
		{Grouped(1234567), "1,234,567"}, {Bytes(512), "512 B"}, {Bytes(3 << 20), "3.0 MiB"},
		{Elapsed(3 * time.Second), "3s"}, {Elapsed(125 * time.Second), "2m05s"},
		{Params(map[string]int{"data": 1, "cap": 2}), "cap=2 data=1"}, {Params(nil), "none"},
		{Plural(1, "step"), "1 step"}, {Plural(0, "step"), "0 steps"}, {Plural(3, "property"), "3 properties"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}
