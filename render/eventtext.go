package render

import (
	"fmt"

	"github.com/handshake/handshake/checker"
)

// EventText is a diagram event in words, as explore and the web explorer
// list a step's events: "client sends SYN seq=100 to server".
func EventText(lanes []string, e checker.Event) string {
	l := LaneName(lanes, e.Lane)
	switch e.Kind {
	case checker.Send:
		return fmt.Sprintf("%s sends %s to %s", l, e.Text, LaneName(lanes, e.Peer))
	case checker.Receive:
		return fmt.Sprintf("%s receives %s from %s", l, e.Text, LaneName(lanes, e.Peer))
	case checker.Drop:
		return fmt.Sprintf("the network loses %s from %s to %s", e.Text, l, LaneName(lanes, e.Peer))
	case checker.Change:
		return fmt.Sprintf("%s enters %s", l, e.Text)
	}
	return fmt.Sprintf("%s: %s", l, e.Text)
}
