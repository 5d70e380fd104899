package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/handshake/handshake/checker"
)

// Mermaid draws a trace as a Mermaid sequenceDiagram (it renders on
// GitHub inside a ```mermaid block). It follows the terminal diagram: each
// step is a note with its number and action label; a message put on the
// network is a dashed open arrow (in flight), a delivered one a solid
// arrow, a lost one a dashed arrow ending in a cross; a lane's new
// protocol state is a note over the lane.
func Mermaid(w io.Writer, title string, lanes []string, t *checker.TraceReport) {
	fmt.Fprintln(w, "sequenceDiagram")
	if title != "" {
		fmt.Fprintf(w, "    %%%% %s\n", strings.ReplaceAll(title, "\n", " "))
	}
	ids := make([]string, len(lanes))
	for i, l := range lanes {
		ids[i] = mermaidID(l, i)
		fmt.Fprintf(w, "    participant %s as %s\n", ids[i], mermaidText(l))
	}
	lane := func(l int) (string, bool) {
		if l >= 0 && l < len(ids) {
			return ids[l], true
		}
		return "", false
	}
	// Notes spanning every lane need two lanes in Mermaid ("over a,b").
	span := ""
	switch len(ids) {
	case 0:
	case 1:
		span = ids[0]
	default:
		span = ids[0] + "," + ids[len(ids)-1]
	}
	for i, st := range t.Steps {
		label := st.Action
		if label == "" {
			label = "initial state"
		}
		if t.Loop == i && !t.Stutter && i < len(t.Steps)-1 {
			label += " (the loop returns here)"
		}
		if span != "" {
			fmt.Fprintf(w, "    Note over %s: %d. %s\n", span, i, mermaidText(label))
		}
		evs := st.Events
		for k := 0; k < len(evs); k++ {
			e := evs[k]
			from, okFrom := lane(e.Lane)
			to, okTo := lane(e.Peer)
			text := mermaidText(e.Text)
			switch e.Kind {
			case checker.Send:
				if !okFrom || !okTo {
					continue
				}
				if k+1 < len(evs) && evs[k+1].Kind == checker.Receive &&
					evs[k+1].Lane == e.Peer && evs[k+1].Peer == e.Lane && evs[k+1].Text == e.Text {
					fmt.Fprintf(w, "    %s->>%s: %s\n", from, to, text)
					k++
					continue
				}
				fmt.Fprintf(w, "    %s--)%s: %s\n", from, to, text)
			case checker.Receive:
				// The receiver is Lane, the sender Peer.
				if okFrom && okTo {
					fmt.Fprintf(w, "    %s->>%s: %s\n", to, from, text)
				}
			case checker.Drop:
				if okFrom && okTo {
					fmt.Fprintf(w, "    %s--x%s: %s (lost)\n", from, to, text)
				}
			case checker.Change:
				if okFrom {
					fmt.Fprintf(w, "    Note over %s: %s\n", from, text)
				}
			case checker.Note:
				if okFrom {
					fmt.Fprintf(w, "    Note right of %s: %s\n", from, text)
				}
			}
		}
	}
	switch {
	case t.Stutter && span != "":
		fmt.Fprintf(w, "    Note over %s: then stays in the state of step %d forever (stutter)\n", span, len(t.Steps)-1)
	case t.Loop >= 0 && span != "":
		fmt.Fprintf(w, "    Note over %s: then loops back to step %d\n", span, t.Loop)
	}
}

// mermaidID is a participant identifier: the lane name if it is a plain
// word, else "L" and the lane's index.
func mermaidID(name string, i int) string {
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return fmt.Sprintf("L%d", i)
		}
	}
	if name == "" || name == "end" || name == "participant" || name == "Note" {
		return fmt.Sprintf("L%d", i)
	}
	return name
}

// mermaidText escapes what Mermaid would read as syntax or markup with
// its entity codes: '#', ';', '<' and '>' (segments print as
// <SEQ=100><CTL=SYN>), "%%"; newlines become spaces.
var mermaidEscaper = strings.NewReplacer("#", "#35;", ";", "#59;", "<", "#lt;", ">", "#gt;", "\n", " ", "%%", "#37;#37;")

func mermaidText(s string) string { return mermaidEscaper.Replace(s) }
