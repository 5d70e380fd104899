package cli_test

import (
	"context"
	"fmt"
	"os"

	"github.com/handshake/handshake/catalog"
	"github.com/handshake/handshake/checker"
	"github.com/handshake/handshake/cli"
	"github.com/handshake/handshake/examples/abp/abp"
)

// A program of a few lines serves a protocol of its own with every
// command; here, the alternating-bit protocol of examples/abp, whose
// variants are checked against their expected verdicts (Markdown: no
// timings).
func Example() {
	p := &cli.Program{Name: "abp", Models: catalog.Models{abp.Entry()}}
	code := p.RunContext(context.Background(), []string{"matrix", "--markdown", "--quiet"}, os.Stdin, os.Stdout, os.Stderr)
	fmt.Println("exit status", code)
	// Output:
	// | property | `sound` | `no-bit-check` |
	// | --- | --- | --- |
	// | `in-order` | holds | **VIOLATED** |
	// | `all-delivered` | holds | holds |
	// | `delivery` | holds | holds |
	// | `deadlock` | holds | holds |
	// | distinct states | 38 | 83 |
	//
	// `abp`: 8 of 8 cells as expected.
	//
	// Variants, with the parameters that differ from the model's defaults (messages=2 loss=1):
	//
	// - `sound`: the receiver delivers a frame only if it carries the bit it expects
	// - `no-bit-check`: the receiver delivers every frame: a retransmission is delivered twice
	// exit status 0
}

// The counterexample of a broken variant, drawn as a sequence diagram.
func ExampleProgram_trace() {
	p := &cli.Program{Name: "abp", Models: catalog.Models{abp.Entry()}}
	p.RunContext(context.Background(), []string{"trace", "abp", "--variant", "no-bit-check", "--width", "60"}, os.Stdin, os.Stdout, os.Stderr)
	// Output:
	// model abp, variant no-bit-check, params loss=1 messages=2
	// counterexample of in-order (always), 4 steps
	//   the receiver delivers messages 1, 2, ... in order, each once
	// path: 0.0.0.0.0
	//
	// legend: - - -> sent (in flight)   ----->| delivered   - - X lost   [STATE] new state
	//
	//     sender                                         receiver
	//        |                                               |
	// 0  initial state
	// 1  sender: send message 1, bit 0
	//        |- - - - - - - - MSG 1 bit 0 - - - - - - - - >  |
	// 2  receiver: take message 1, bit 0
	//        |---------------- MSG 1 bit 0 ----------------->|
	//        |                                  (delivers 1) |
	//        |  < - - - - - - - - - ACK 0 - - - - - - - - - -|
	// 3  sender: send message 1, bit 0
	//        |- - - - - - - - MSG 1 bit 0 - - - - - - - - >  |
	// 4  receiver: take message 1, bit 0
	//        |---------------- MSG 1 bit 0 ----------------->|
	//        |                                  (delivers 1) |
	//        |  < - - - - - - - - - ACK 0 - - - - - - - - - -|
	//        |                                               |
	//
	// steps:
	//   0  initial state
	//         sender: next 1, bit 0; receiver: delivered 0, bit 0; lost 0
	//   1  sender: send message 1, bit 0
	//         sender: next 1, bit 0; receiver: delivered 0, bit 0; lost 0
	//   2  receiver: take message 1, bit 0
	//         sender: next 1, bit 0; receiver: delivered 1, bit 1; lost 0
	//   3  sender: send message 1, bit 0
	//         sender: next 1, bit 0; receiver: delivered 1, bit 1; lost 0
	//   4  receiver: take message 1, bit 0
	//         sender: next 1, bit 0; receiver: delivered 2, bit 1; lost 0
}

// One random walk through the model.
func ExampleProgram_simulate() {
	p := &cli.Program{Name: "abp", Models: catalog.Models{abp.Entry()}}
	p.RunContext(context.Background(), []string{"simulate", "abp", "--seed", "2", "--steps", "4", "--width", "60"}, os.Stdin, os.Stdout, os.Stderr)
	// Output:
	// model abp, variant sound, params loss=1 messages=2: random walk, seed 2, 4 steps
	// path: 0.0.1.0.0 (explore --path, trace --path)
	//
	// legend: - - -> sent (in flight)   ----->| delivered   - - X lost   [STATE] new state
	//
	//     sender                                         receiver
	//        |                                               |
	// 0  initial state
	// 1  sender: send message 1, bit 0
	//        |- - - - - - - - MSG 1 bit 0 - - - - - - - - >  |
	// 2  network loses message 1
	//        |- - - - - - - - MSG 1 bit 0 - - - - - - - - X  |
	// 3  sender: send message 1, bit 0
	//        |- - - - - - - - MSG 1 bit 0 - - - - - - - - >  |
	// 4  receiver: take message 1, bit 0
	//        |---------------- MSG 1 bit 0 ----------------->|
	//        |                                  (delivers 1) |
	//        |  < - - - - - - - - - ACK 0 - - - - - - - - - -|
	//        |                                               |
	//
	// steps:
	//   0  initial state
	//         sender: next 1, bit 0; receiver: delivered 0, bit 0; lost 0
	//   1  sender: send message 1, bit 0
	//         sender: next 1, bit 0; receiver: delivered 0, bit 0; lost 0
	//   2  network loses message 1
	//         sender: next 1, bit 0; receiver: delivered 0, bit 0; lost 1
	//   3  sender: send message 1, bit 0
	//         sender: next 1, bit 0; receiver: delivered 0, bit 0; lost 1
	//   4  receiver: take message 1, bit 0
	//         sender: next 1, bit 0; receiver: delivered 1, bit 1; lost 1
}

// lossy is a sender that retransmits one message over a channel that may
// lose every copy.
type lossy struct{ InFlight, Delivered bool }

// A liveness property (checker.Eventually) violated by a lasso: the
// channel loses every copy forever, which weak fairness of the sender and
// of delivery does not rule out (delivery is not enabled all the time).
func ExampleProgram_lasso() {
	const transmit, lose, deliver = 0, 1, 2
	m := checker.Model[lossy]{
		Name:  "lossy",
		Lanes: []string{"sender", "receiver"},
		Init:  func() []lossy { return []lossy{{}} },
		Actions: func(s lossy, buf []checker.Action) []checker.Action {
			switch {
			case s.Delivered:
				return buf
			case !s.InFlight:
				return append(buf, transmit)
			}
			return append(buf, lose, deliver)
		},
		Next: func(s lossy, a checker.Action) lossy {
			switch a {
			case transmit:
				s.InFlight = true
			case lose:
				s.InFlight = false
			default:
				s.InFlight, s.Delivered = false, true
			}
			return s
		},
		Label: func(s lossy, a checker.Action) string {
			return [...]string{"sender: transmit", "network loses the message", "receiver: take the message"}[a]
		},
		Describe: func(s lossy, a checker.Action, t lossy) []checker.Event {
			kind := [...]checker.EventKind{checker.Send, checker.Drop, checker.Receive}[a]
			lane, peer := 0, 1
			if kind == checker.Receive {
				lane, peer = 1, 0
			}
			return []checker.Event{{Kind: kind, Lane: lane, Peer: peer, Text: "MSG"}}
		},
		Properties: []checker.Property[lossy]{{
			Name: "delivered", Kind: checker.Eventually,
			Holds: func(s lossy) bool { return s.Delivered },
			Fair: []checker.Fairness[lossy]{
				{Name: "transmit", Member: func(s lossy, a checker.Action) bool { return a == transmit }},
				{Name: "deliver", Member: func(s lossy, a checker.Action) bool { return a == deliver }},
			},
		}},
	}
	entry := &catalog.Entry{
		Name:     "lossy",
		Variants: []catalog.Variant{{Name: "unbounded-loss", Expect: map[string]checker.Status{"delivered": checker.Violated}}},
		Build: func(string, map[string]int) (checker.System, error) {
			return checker.Erase(m)
		},
	}
	p := &cli.Program{Name: "lossy", Models: catalog.Models{entry}}
	p.RunContext(context.Background(), []string{"trace", "lossy", "--width", "60"}, os.Stdin, os.Stdout, os.Stderr)
	// Output:
	// model lossy, variant unbounded-loss, params none
	// counterexample of delivered (eventually), 2 steps
	// path: 0.0.0
	//
	// legend: - - -> sent (in flight)   ----->| delivered   - - X lost   [STATE] new state
	//
	//     sender                                         receiver
	//        |                                               |
	// 0  initial state   <-- the loop returns here
	// 1  sender: transmit
	//        |- - - - - - - - - - MSG - - - - - - - - - - >  |
	// 2  network loses the message
	//        |- - - - - - - - - - MSG - - - - - - - - - - X  |
	//        |                                               |
	//    loop: after step 2 the behaviour returns to step 0 and repeats steps 1..2 forever
	//
	// steps:
	//   0  initial state
	//         {InFlight:false Delivered:false}
	//   1  sender: transmit
	//         {InFlight:true Delivered:false}
	//   2  network loses the message
	//         {InFlight:false Delivered:false}
	//   then loops back to step 0
}
