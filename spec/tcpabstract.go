package spec

import (
	"fmt"

	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/model/tcpabstract"
)

// TCPAbstract is the catalog entry of "tcp-abstract", the port of the TLA+
// Examples TCP specification.
func TCPAbstract() *Entry {
	return &Entry{
		Name: "tcp-abstract",
		Description: "RFC 9293 connection states without sequence numbers: a port of the TLA+ Examples " +
			"specification (specifications/tcp, M. Kuppe)",
		Variants: []Variant{
			{
				Name: "mc",
				Description: "the specification's model-checking configuration: SYN-SENT vs LISTEN with a SYN in flight, " +
					"no repeated message in a row, no user OPEN or SEND, liveness and deadlock checked",
				Params: []Param{},
			},
			{
				Name:        "bounded",
				Description: "plain Init, all actions, no constraints, each network holding at most k messages (a throughput benchmark)",
				Params: []Param{{Name: "k", Default: 3, Min: 1, Max: tcpabstract.MaxNetwork,
					Description: "capacity of each network, in messages"}},
			},
		},
		Build: func(variant string, params map[string]int) (checker.System, error) {
			switch variant {
			case "mc":
				return checker.Erase(tcpabstract.Config{MC: true}.Model())
			case "bounded":
				return checker.Erase(tcpabstract.Config{Capacity: params["k"]}.Model())
			}
			return nil, fmt.Errorf("unknown variant %q of model tcp-abstract", variant)
		},
	}
}
