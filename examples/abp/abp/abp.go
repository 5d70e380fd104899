// Package abp is a model of the alternating-bit protocol (Bartlett,
// Scantlebury and Wilkinson, "A note on reliable full-duplex transmission
// over half-duplex links", CACM 12(5), 1969), written as a user of the
// handshake library would write a protocol of their own: a
// checker.Model, its properties, and a catalog entry with a sound and a
// broken variant for package cli to serve.
//
// A sender hands messages 1..N to a receiver over two channels that may
// lose what they carry (at most loss frames in all, so that the protocol
// can finish). Each frame carries the sender's alternating bit; the
// receiver delivers a frame whose bit is the one it expects, flips its
// bit, and acknowledges with the frame's bit; the sender moves to the next
// message when the acknowledgment carries its bit, and retransmits
// whenever the data channel is empty (a timeout). The broken variant's
// receiver does not check the bit, so that a retransmitted frame is
// delivered twice.
package abp

import (
	"fmt"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
)

// State is the whole protocol: both ends and both channels (each holds at
// most one frame). Fields are bytes, so that the engine hashes them.
type State struct {
	Next      uint8 // sender: the message it is sending, N+1 when done
	SBit      uint8 // sender's alternating bit
	RBit      uint8 // receiver's expected bit
	Delivered uint8 // messages the receiver delivered (at most N+1 counted)
	Wrong     uint8 // 1 once a message was delivered out of order or twice
	Lost      uint8 // frames the channels lost so far
	DataFull  uint8 // a frame is on the data channel (sender to receiver)
	DataBit   uint8
	DataMsg   uint8
	AckFull   uint8 // an acknowledgment is on the ack channel
	AckBit    uint8
}

// Actions.
const (
	send     checker.Action = iota // the sender (re)transmits its message
	recvData                       // the receiver takes the data frame
	recvAck                        // the sender takes the acknowledgment
	loseData                       // the data channel loses its frame
	loseAck                        // the ack channel loses its acknowledgment
)

// Model is the protocol with n messages, at most loss frames lost, and
// the receiver checking the bit (checkBit) or not.
func Model(n, loss int, checkBit bool) checker.Model[State] {
	N, L := uint8(n), uint8(loss)
	return checker.Model[State]{
		Name:  "abp",
		Init:  func() []State { return []State{{Next: 1}} },
		Lanes: []string{"sender", "receiver"},
		Actions: func(s State, buf []checker.Action) []checker.Action {
			if s.Next <= N && s.DataFull == 0 {
				buf = append(buf, send)
			}
			if s.DataFull == 1 {
				buf = append(buf, recvData)
			}
			if s.AckFull == 1 {
				buf = append(buf, recvAck)
			}
			if s.DataFull == 1 && s.Lost < L {
				buf = append(buf, loseData)
			}
			if s.AckFull == 1 && s.Lost < L {
				buf = append(buf, loseAck)
			}
			return buf
		},
		Next: func(s State, a checker.Action) State {
			switch a {
			case send:
				s.DataFull, s.DataBit, s.DataMsg = 1, s.SBit, s.Next
			case recvData:
				s.DataFull = 0
				if !checkBit || s.DataBit == s.RBit {
					if s.DataMsg != s.Delivered+1 {
						s.Wrong = 1
					}
					s.Delivered = min(s.Delivered+1, N+1)
					s.RBit = s.DataBit ^ 1
				}
				s.AckFull, s.AckBit = 1, s.DataBit
			case recvAck:
				s.AckFull = 0
				if s.AckBit == s.SBit && s.Next <= N {
					s.Next++
					s.SBit ^= 1
				}
			case loseData:
				s.DataFull, s.DataBit, s.DataMsg = 0, 0, 0
				s.Lost++
			case loseAck:
				s.AckFull, s.AckBit = 0, 0
				s.Lost++
			}
			return s
		},
		Label: func(s State, a checker.Action) string {
			switch a {
			case send:
				return fmt.Sprintf("sender: send message %d, bit %d", s.Next, s.SBit)
			case recvData:
				return fmt.Sprintf("receiver: take message %d, bit %d", s.DataMsg, s.DataBit)
			case recvAck:
				return fmt.Sprintf("sender: take ack %d", s.AckBit)
			case loseData:
				return fmt.Sprintf("network loses message %d", s.DataMsg)
			}
			return fmt.Sprintf("network loses ack %d", s.AckBit)
		},
		Format: func(s State) string {
			return fmt.Sprintf("sender: next %d, bit %d; receiver: delivered %d, bit %d; lost %d",
				s.Next, s.SBit, s.Delivered, s.RBit, s.Lost)
		},
		Describe: func(s State, a checker.Action, t State) []checker.Event {
			switch a {
			case send:
				return []checker.Event{{Kind: checker.Send, Lane: 0, Peer: 1, Text: frame(s.Next, s.SBit)}}
			case recvData:
				ev := []checker.Event{{Kind: checker.Receive, Lane: 1, Peer: 0, Text: frame(s.DataMsg, s.DataBit)}}
				if t.Delivered != s.Delivered {
					ev = append(ev, checker.Event{Kind: checker.Note, Lane: 1, Text: fmt.Sprintf("delivers %d", s.DataMsg)})
				}
				return append(ev, checker.Event{Kind: checker.Send, Lane: 1, Peer: 0, Text: fmt.Sprintf("ACK %d", s.DataBit)})
			case recvAck:
				return []checker.Event{{Kind: checker.Receive, Lane: 0, Peer: 1, Text: fmt.Sprintf("ACK %d", s.AckBit)}}
			case loseData:
				return []checker.Event{{Kind: checker.Drop, Lane: 0, Peer: 1, Text: frame(s.DataMsg, s.DataBit)}}
			}
			return []checker.Event{{Kind: checker.Drop, Lane: 1, Peer: 0, Text: fmt.Sprintf("ACK %d", s.AckBit)}}
		},
		CheckDeadlock: true,
		EndState:      func(s State) bool { return s.Next > N && s.DataFull == 0 && s.AckFull == 0 },
		Properties: []checker.Property[State]{
			{Name: "in-order", Kind: checker.Always,
				Description: "the receiver delivers messages 1, 2, ... in order, each once",
				Holds:       func(s State) bool { return s.Wrong == 0 && s.Delivered <= N }},
			{Name: "all-delivered", Kind: checker.Sometimes,
				Description: "a run delivers every message",
				Holds:       func(s State) bool { return s.Delivered >= N }},
			{Name: "delivery", Kind: checker.Eventually,
				Description: "every run delivers every message, sending and taking frames each weakly fair (losing them is not)",
				Holds:       func(s State) bool { return s.Delivered >= N },
				Fair: []checker.Fairness[State]{
					{Name: "send", Action: func(a checker.Action) bool { return a == send }},
					{Name: "take-data", Action: func(a checker.Action) bool { return a == recvData }},
					{Name: "take-ack", Action: func(a checker.Action) bool { return a == recvAck }},
				}},
		},
	}
}

func frame(msg, bit uint8) string { return fmt.Sprintf("MSG %d bit %d", msg, bit) }

// Entry is the model's catalog entry: the sound protocol, and a receiver
// that does not check the bit, expected to deliver a message twice.
func Entry() *catalog.Entry {
	return &catalog.Entry{
		Name:        "abp",
		Description: "the alternating-bit protocol over two lossy channels of one frame each",
		Params: []catalog.Param{
			{Name: "messages", Default: 2, Min: 1, Max: 5, Description: "messages the sender hands over"},
			{Name: "loss", Default: 1, Min: 0, Max: 3, Description: "frames the channels may lose in all"},
		},
		Variants: []catalog.Variant{
			{Name: "sound", Description: "the receiver delivers a frame only if it carries the bit it expects"},
			{Name: "no-bit-check", Description: "the receiver delivers every frame: a retransmission is delivered twice",
				Expect: map[string]checker.Status{"in-order": checker.Violated}},
		},
		Build: func(variant string, params map[string]int) (checker.System, error) {
			return checker.Erase(Model(params["messages"], params["loss"], variant != "no-bit-check"))
		},
	}
}
