package tlsvalidate

import (
	"fmt"
	"strings"
)

// Message is a handshake message (or ChangeCipherSpec) as the verdict
// reports it.
type Message struct {
	From      string `json:"from"`
	Frame     int    `json:"frame"` // the frame that completed it
	Offset    int64  `json:"offset"`
	Type      string `json:"type"`
	Encrypted bool   `json:"encrypted,omitempty"`
	Len       int    `json:"len"`
}

// Direction is what one side sent.
type Direction struct {
	Octets  int64 `json:"octets"`
	Records int   `json:"records"`
	// Gap is the first hole in the stream, from which nothing is decided.
	Gap *Gap `json:"gap,omitempty"`
	// Partial is set when the stream ends inside a record (octets of it).
	Partial int `json:"partial_record,omitempty"`
	// ApplicationRecords counts application_data records; Decrypted
	// those whose AEAD tag verified with the key log's secrets.
	ApplicationRecords int      `json:"application_records"`
	Decrypted          int      `json:"decrypted"`
	Alerts             []string `json:"alerts,omitempty"`
	// Closure is how the direction ended: "clean" (close_notify then
	// FIN), "truncation-possible" (FIN without close_notify), "reset",
	// "capture-ended", or "undecidable" (after a gap).
	Closure string `json:"closure"`
	// ClosureText explains it, with frames.
	ClosureText string `json:"closure_text"`
}

// Verdict is the TLS layer's answer for one connection.
type Verdict struct {
	// TLS is false when the client's stream does not start with a TLS
	// handshake record: nothing else is decided.
	TLS bool `json:"tls"`
	// Accepted is false when a rule is broken (Violation).
	Accepted  bool       `json:"accepted"`
	Violation *Violation `json:"violation,omitempty"`
	Version   string     `json:"version,omitempty"`
	Mode      string     `json:"mode,omitempty"`
	Suite     string     `json:"suite,omitempty"`
	// EMS: the extended master secret was negotiated (RFC 7627 §5.1).
	EMS bool `json:"extended_master_secret,omitempty"`
	// EncryptThenMAC: a CBC suite with encrypt-then-MAC (RFC 7366).
	EncryptThenMAC bool `json:"encrypt_then_mac,omitempty"`
	// Ticket: a TLS 1.2 session resumed with the ClientHello's session
	// ticket (RFC 5077 §3.1), not only its session_id.
	Ticket bool `json:"session_ticket,omitempty"`
	// HRR: the server sent a HelloRetryRequest (RFC 8446 §4.1.4).
	HRR bool `json:"hello_retry_request,omitempty"`
	// Complete: every required message of the handshake was seen.
	Complete bool      `json:"handshake_complete"`
	Messages []Message `json:"messages"`
	// Keys: "verified" (both Finished verify with the key log's secrets),
	// "none" (no key log given), or why they were not checked.
	Keys string `json:"keys"`
	// Checks lists what was verified, one fact a line, with its RFC.
	Checks []string `json:"checks,omitempty"`
	// Undecided lists what could not be decided, and why.
	Undecided []string `json:"undecided,omitempty"`
	// HTTP lists the HTTP/1.x responses in the decrypted application
	// data (with keys), each complete by its framing or not.
	HTTP   []HTTPResponse `json:"http,omitempty"`
	Client Direction      `json:"client"`
	Server Direction      `json:"server"`
}

func (v *Verdict) dir(side int) *Direction {
	if side == cl {
		return &v.Client
	}
	return &v.Server
}

// Text renders the verdict as lines for the command line, e.g.
//
//	tls: accepted: TLS 1.3 full handshake, TLS_AES_128_GCM_SHA256
//	tls: keys verified: ...
func (v *Verdict) Text() string {
	var b strings.Builder
	if !v.TLS {
		b.WriteString("tls: not TLS (the client's stream does not start with a handshake record)\n")
		return b.String()
	}
	status := "accepted"
	if !v.Accepted {
		status = "REJECTED"
	}
	fmt.Fprintf(&b, "tls: %s: %s, %s", status, v.Mode, v.Suite)
	if v.EMS {
		b.WriteString(", extended master secret")
	}
	if v.Ticket {
		b.WriteString(", with a session ticket")
	}
	if v.EncryptThenMAC {
		b.WriteString(", encrypt-then-MAC")
	}
	if v.HRR {
		b.WriteString(", after a HelloRetryRequest")
	}
	if !v.Complete {
		b.WriteString(", handshake incomplete")
	}
	b.WriteString("\n")
	if v.Violation != nil {
		fmt.Fprintf(&b, "tls: rejected at %s\n", v.Violation.Error())
	}
	for _, m := range v.Messages {
		enc := ""
		if m.Encrypted {
			enc = " (encrypted)"
		}
		fmt.Fprintf(&b, "tls:   frame %d %s: %s%s\n", m.Frame, m.From, m.Type, enc)
	}
	fmt.Fprintf(&b, "tls: keys: %s\n", v.Keys)
	for _, c := range v.Checks {
		fmt.Fprintf(&b, "tls:   %s\n", c)
	}
	for _, u := range v.Undecided {
		fmt.Fprintf(&b, "tls: undecided: %s\n", u)
	}
	for _, r := range v.HTTP {
		fmt.Fprintf(&b, "tls: http: %s\n", r.Text)
	}
	for side, d := range []Direction{v.Client, v.Server} {
		fmt.Fprintf(&b, "tls: %s: %d records, %d application_data (%d decrypted); %s\n",
			sideName(side), d.Records, d.ApplicationRecords, d.Decrypted, d.ClosureText)
	}
	return b.String()
}

// MessagesByFrame gives, for each frame, the TLS messages it completed
// ("ClientHello", "{Finished}" when encrypted), for a sequence diagram
// that shows them next to the TCP segments.
func (v *Verdict) MessagesByFrame() map[int][]string {
	out := map[int][]string{}
	for _, m := range v.Messages {
		t := m.Type
		if m.Encrypted {
			t = "{" + t + "}"
		}
		out[m.Frame] = append(out[m.Frame], t)
	}
	return out
}
