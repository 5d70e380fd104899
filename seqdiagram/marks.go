package seqdiagram

import "github.com/handshake/handshake/checker"

// What a diagram draws for a step, whatever it draws with: the text
// diagrams of this package and the SVG ones (SVG) read a step's events
// through Marks, so that both pair a Send with its Receive alike.

// Style is how an arrow is drawn.
type Style uint8

// Arrow styles.
const (
	// InFlight: sent, still on the network (dashed).
	InFlight Style = iota
	// Delivered: taken by its receiver (solid).
	Delivered
	// Lost: lost by the network on the way (dashed, ending in X).
	Lost
)

// String is "sent", "delivered" or "lost".
func (s Style) String() string {
	switch s {
	case InFlight:
		return "sent"
	case Delivered:
		return "delivered"
	}
	return "lost"
}

// MarkKind is the kind of a Mark.
type MarkKind uint8

// Mark kinds.
const (
	// Arrow: a message from lane From to lane To.
	Arrow MarkKind = iota
	// States: lanes entering protocol states (Changes, consecutive
	// Change events of the step).
	States
	// Note: a remark beside lane From.
	Note
	// Other: an event of an unknown kind, shown as text for lane From.
	Other
)

// Mark is one thing drawn for a step.
type Mark struct {
	Kind     MarkKind
	From, To int
	Text     string
	Style    Style
	Changes  []checker.Event
}

// Marks reads a step's events as a diagram draws them: a Send answered by
// its Receive in the same step (a synchronous exchange) is one delivered
// arrow, and consecutive state changes are one mark.
func Marks(st checker.TraceStep) []Mark {
	var out []Mark
	evs := st.Events
	for k := 0; k < len(evs); k++ {
		e := evs[k]
		switch e.Kind {
		case checker.Send:
			if k+1 < len(evs) && evs[k+1].Kind == checker.Receive &&
				evs[k+1].Lane == e.Peer && evs[k+1].Peer == e.Lane && evs[k+1].Text == e.Text {
				out = append(out, Mark{Kind: Arrow, From: e.Lane, To: e.Peer, Text: e.Text, Style: Delivered})
				k++
				continue
			}
			out = append(out, Mark{Kind: Arrow, From: e.Lane, To: e.Peer, Text: e.Text, Style: InFlight})
		case checker.Receive:
			out = append(out, Mark{Kind: Arrow, From: e.Peer, To: e.Lane, Text: e.Text, Style: Delivered})
		case checker.Drop:
			out = append(out, Mark{Kind: Arrow, From: e.Lane, To: e.Peer, Text: e.Text, Style: Lost})
		case checker.Change:
			j := k
			for j+1 < len(evs) && evs[j+1].Kind == checker.Change {
				j++
			}
			out = append(out, Mark{Kind: States, Changes: evs[k : j+1]})
			k = j
		case checker.Note:
			out = append(out, Mark{Kind: Note, From: e.Lane, Text: e.Text})
		default:
			out = append(out, Mark{Kind: Other, From: e.Lane, Text: e.Text})
		}
	}
	return out
}
