package tcp

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSequenceComparisonsAreModulo2To32_3_4(t *testing.T) {
	const max = 1<<32 - 1
	cases := []struct {
		a, b        uint32
		lt, leq, gt bool
	}{
		{1, 2, true, true, false},
		{2, 2, false, true, false},
		{3, 2, false, false, true},
		{max, 0, true, true, false}, // 2^32-1 < 0 across the wrap
		{0, max, false, false, true},
		{max - 1, 1, true, true, false},
	}
	for _, c := range cases {
		if SeqLT(c.a, c.b) != c.lt || SeqLEQ(c.a, c.b) != c.leq || SeqGT(c.a, c.b) != c.gt || SeqGEQ(c.a, c.b) != !c.lt {
			t.Errorf("compare(%d, %d): LT %v LEQ %v GT %v GEQ %v, want %v %v %v %v", c.a, c.b,
				SeqLT(c.a, c.b), SeqLEQ(c.a, c.b), SeqGT(c.a, c.b), SeqGEQ(c.a, c.b), c.lt, c.leq, c.gt, !c.lt)
		}
	}
	// Numbers exactly 2^31 apart have no order modulo 2^32: each is
	// "less" than the other. The model never compares numbers that far
	// apart (they differ by at most a few octets and the window).
	if !SeqLT(0, 1<<31) || !SeqLT(1<<31, 0) {
		t.Errorf("numbers 2^31 apart: LT(0, 2^31)=%v LT(2^31, 0)=%v", SeqLT(0, 1<<31), SeqLT(1<<31, 0))
	}
}

func TestThreeWayHandshake_3_5(t *testing.T) {
	sc := newScript(t, fixedISS(100, 300))
	sc.expectSent("server: passive OPEN")
	sc.expectSent("client: active OPEN (ISS=100)", "client sends SYN seq=100")
	sc.expectSent("deliver client->server <SEQ=100><CTL=SYN> (ISS=300)", "server sends SYN,ACK seq=300 ack=101")
	sc.expectStates(SYN_SENT, SYN_RECEIVED)
	sc.expectSent("deliver server->client <SEQ=300><ACK=101><CTL=SYN,ACK>", "client sends ACK seq=101 ack=301")
	sc.expectStates(ESTABLISHED, SYN_RECEIVED)
	sc.expectSent("deliver client->server <SEQ=101><ACK=301><CTL=ACK>")
	sc.expectStates(ESTABLISHED, ESTABLISHED)
}

func TestSynSentReceivesSynAck_3_10_7_3(t *testing.T) {
	sc := newScript(t, fixedISS(100, 300))
	sc.do("server: passive OPEN")
	sc.do("client: active OPEN (ISS=100)")
	sc.do("deliver client->server <SEQ=100><CTL=SYN> (ISS=300)")
	sc.do("deliver server->client <SEQ=300><ACK=101><CTL=SYN,ACK>")
	got := sc.s.Ep[Client]
	want := Endpoint{TCB: TCB{ISS: 100, IRS: 300, SndUna: 101, SndNxt: 101, RcvNxt: 301, State: ESTABLISHED}, Opens: 1,
		Seen: 1<<CLOSED | 1<<SYN_SENT | 1<<ESTABLISHED, PeerInc: 1, Paired: [MaxConns]uint8{1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("client after SYN,ACK (-want +got):\n%s", diff)
	}
}

func TestListenReceivesSyn_3_10_7_2(t *testing.T) {
	sc := newScript(t, fixedISS(100, 300))
	sc.do("server: passive OPEN")
	sc.do("client: active OPEN (ISS=100)")
	sc.do("deliver client->server <SEQ=100><CTL=SYN> (ISS=300)")
	got := sc.s.Ep[Server]
	want := Endpoint{TCB: TCB{ISS: 300, IRS: 100, SndUna: 300, SndNxt: 301, RcvNxt: 101, State: SYN_RECEIVED, Passive: true}, Opens: 1,
		Seen: 1<<CLOSED | 1<<LISTEN | 1<<SYN_RECEIVED, PeerInc: 1, Paired: [MaxConns]uint8{1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server after SYN (-want +got):\n%s", diff)
	}
}

func TestListenSelectsEachConfiguredISS_3_10_7_2(t *testing.T) {
	cfg := fixedISS(100, 300)
	cfg.ISS[Server] = []uint32{300, 7}
	sc := newScript(t, cfg)
	sc.do("server: passive OPEN")
	sc.do("client: active OPEN (ISS=100)")
	for _, l := range []string{"deliver client->server <SEQ=100><CTL=SYN> (ISS=300)", "deliver client->server <SEQ=100><CTL=SYN> (ISS=7)"} {
		if !sc.enabled(l) {
			t.Errorf("%q not enabled", l)
		}
	}
	sc.expectSent("deliver client->server <SEQ=100><CTL=SYN> (ISS=7)", "server sends SYN,ACK seq=7 ack=101")
}

func TestListenAnswersAckWithReset_3_10_7_2(t *testing.T) {
	cfg := fixedISS(100, 300)
	s := Init()
	s.Ep[Server].enter(LISTEN)
	s.Net[Client].Push(Segment{Seq: 5, Ack: 77, Flags: ACK}, cfg.Cap)
	n := cfg.Next(s, cfg.Actions(s, nil)[len(cfg.Actions(s, nil))-1])
	if n.Net[Server].Len != 1 || n.Net[Server].At(0) != (Segment{Seq: 77, Flags: RST}) || n.Ep[Server].State != LISTEN {
		t.Errorf("LISTEN answered an ACK with:\n%s", Format(n))
	}
}

func TestClosedAnswersSynWithResetAck_3_10_7_1(t *testing.T) {
	sc := newScript(t, fixedISS(100, 300))
	sc.do("client: active OPEN (ISS=100)")
	sc.expectSent("deliver client->server <SEQ=100><CTL=SYN>", "server sends RST,ACK seq=0 ack=101")
	// §3.10.7.3: the ACK is acceptable, so the RST resets the connection.
	sc.expectSent("deliver server->client <SEQ=0><ACK=101><CTL=RST,ACK>")
	sc.expectStates(CLOSED, CLOSED)
	if sc.s.Ep[Client].End != EndReset {
		t.Errorf("client ended %q, want reset", sc.s.Ep[Client].End)
	}
}

func TestSynSentDropsResetWithoutAck_3_10_7_3(t *testing.T) {
	cfg := fixedISS(100, 300)
	sc := newScript(t, cfg)
	sc.do("client: active OPEN (ISS=100)")
	sc.s.Net[Server].Push(Segment{Seq: 300, Flags: RST}, cfg.Cap)
	sc.expectSent("deliver server->client <SEQ=300><CTL=RST>")
	sc.expectStates(SYN_SENT, CLOSED)
}

func TestSynSentAnswersUnacceptableAckWithReset_3_10_7_3(t *testing.T) {
	cfg := fixedISS(100, 300)
	sc := newScript(t, cfg)
	sc.do("client: active OPEN (ISS=100)")
	sc.s.Net[Server].Push(Segment{Seq: 300, Ack: 100, Flags: SYN | ACK}, cfg.Cap) // SEG.ACK =< ISS
	sc.expectSent("deliver server->client <SEQ=300><ACK=100><CTL=SYN,ACK>", "client sends RST seq=100")
	sc.expectStates(SYN_SENT, CLOSED)
}

// Figure 7 shows the SYN,ACK of a simultaneous open completing it. By
// Table 6 that segment (SEQ = IRS, one below RCV.NXT, SEG.LEN 1) is not
// acceptable in SYN_RECEIVED: it is answered with an ACK, and that ACK
// completes the open.
func TestSimultaneousOpenUnacceptableSynAckIsAnsweredWithAck_3_10_7_4(t *testing.T) {
	sc := newScript(t, fixedISS(100, 300))
	sc.do("client: active OPEN (ISS=100)")
	sc.do("server: active OPEN (ISS=300)")
	sc.expectSent("deliver server->client <SEQ=300><CTL=SYN>", "client sends SYN,ACK seq=100 ack=301")
	sc.expectSent("deliver client->server <SEQ=100><CTL=SYN>", "server sends SYN,ACK seq=300 ack=101")
	sc.expectStates(SYN_RECEIVED, SYN_RECEIVED)
	sc.expectSent("deliver server->client <SEQ=300><ACK=101><CTL=SYN,ACK>", "client sends ACK seq=101 ack=301")
	sc.expectStates(SYN_RECEIVED, SYN_RECEIVED)
	sc.expectSent("deliver client->server <SEQ=100><ACK=301><CTL=SYN,ACK>", "server sends ACK seq=301 ack=101")
	sc.expectSent("deliver client->server <SEQ=101><ACK=301><CTL=ACK>")
	sc.expectStates(SYN_RECEIVED, ESTABLISHED)
	sc.expectSent("deliver server->client <SEQ=301><ACK=101><CTL=ACK>")
	sc.expectStates(ESTABLISHED, ESTABLISHED)
}

func TestSynReceivedResetReturnsToListenAfterPassiveOpen_3_10_7_4(t *testing.T) {
	cfg := fixedISS(100, 300)
	sc := newScript(t, cfg)
	sc.do("server: passive OPEN")
	sc.do("client: active OPEN (ISS=100)")
	sc.do("deliver client->server <SEQ=100><CTL=SYN> (ISS=300)")
	sc.do("client: ABORT")
	sc.s.Net[Client].Push(Segment{Seq: 101, Flags: RST}, cfg.Cap)
	sc.expectSent("deliver server->client <SEQ=300><ACK=101><CTL=SYN,ACK>", "client sends RST seq=101")
	sc.expectSent("deliver client->server <SEQ=101><CTL=RST>")
	sc.expectStates(CLOSED, LISTEN)
	if e := sc.s.Ep[Server]; e.ISS != 0 || e.IRS != 0 || e.Passive {
		t.Errorf("LISTEN after RST keeps connection variables: %+v", e)
	}
}

func TestSynReceivedResetRefusesActiveOpen_3_10_7_4(t *testing.T) {
	cfg := fixedISS(100, 300)
	cfg.Cap = 3 // room for the RST beside the two SYN,ACKs
	sc := newScript(t, cfg)
	sc.do("client: active OPEN (ISS=100)")
	sc.do("server: active OPEN (ISS=300)")
	sc.do("deliver server->client <SEQ=300><CTL=SYN>")
	sc.do("deliver client->server <SEQ=100><CTL=SYN>")
	sc.expectSent("server: ABORT", "server sends RST seq=301")
	sc.expectSent("deliver server->client <SEQ=300><ACK=101><CTL=SYN,ACK>", "client sends ACK seq=101 ack=301")
	sc.expectSent("deliver server->client <SEQ=301><CTL=RST>")
	sc.expectStates(CLOSED, CLOSED)
	if sc.s.Ep[Client].End != EndReset {
		t.Errorf("client ended %q, want reset (connection refused)", sc.s.Ep[Client].End)
	}
}

func TestFourWayClose_3_6(t *testing.T) {
	sc := handshake(t, fixedISS(100, 300))
	sc.expectSent("client: CLOSE", "client sends FIN,ACK seq=101 ack=301")
	sc.expectStates(FIN_WAIT_1, ESTABLISHED)
	sc.expectSent("deliver client->server <SEQ=101><ACK=301><CTL=FIN,ACK>", "server sends ACK seq=301 ack=102")
	sc.expectStates(FIN_WAIT_1, CLOSE_WAIT)
	if !sc.s.Ep[Server].EOS {
		t.Errorf("server application did not see end-of-stream")
	}
	sc.expectSent("deliver server->client <SEQ=301><ACK=102><CTL=ACK>")
	sc.expectStates(FIN_WAIT_2, CLOSE_WAIT)
	sc.expectSent("server: CLOSE", "server sends FIN,ACK seq=301 ack=102")
	sc.expectStates(FIN_WAIT_2, LAST_ACK)
	sc.expectSent("deliver server->client <SEQ=301><ACK=102><CTL=FIN,ACK>", "client sends ACK seq=102 ack=302")
	sc.expectStates(TIME_WAIT, LAST_ACK)
	sc.expectSent("deliver client->server <SEQ=102><ACK=302><CTL=ACK>")
	sc.expectStates(TIME_WAIT, CLOSED)
	sc.expectSent("client: 2MSL timeout")
	sc.expectStates(CLOSED, CLOSED)
}

func TestSimultaneousCloseGoesThroughClosing_3_10_7_4(t *testing.T) {
	sc := handshake(t, fixedISS(100, 300))
	sc.do("client: CLOSE")
	sc.do("server: CLOSE")
	sc.expectSent("deliver client->server <SEQ=101><ACK=301><CTL=FIN,ACK>", "server sends ACK seq=302 ack=102")
	sc.expectStates(FIN_WAIT_1, CLOSING)
	sc.expectSent("deliver server->client <SEQ=301><ACK=101><CTL=FIN,ACK>", "client sends ACK seq=102 ack=302")
	sc.expectStates(CLOSING, CLOSING)
	sc.expectSent("deliver server->client <SEQ=302><ACK=102><CTL=ACK>")
	sc.expectSent("deliver client->server <SEQ=102><ACK=302><CTL=ACK>")
	sc.expectStates(TIME_WAIT, TIME_WAIT)
}

func TestDataIsDeliveredInOrderAndAcknowledged_3_10_7_4(t *testing.T) {
	cfg := fixedISS(100, 300)
	cfg.Data = 2
	sc := handshake(t, cfg)
	sc.expectSent("client: SEND octet #0", "client sends ACK seq=101 ack=301 len=1")
	sc.expectSent("deliver client->server <SEQ=101><ACK=301><CTL=ACK><DATA=#0>", "server sends ACK seq=301 ack=102")
	sc.expectSent("client: SEND octet #1", "client sends ACK seq=102 ack=301 len=1")
	sc.do("deliver client->server <SEQ=102><ACK=301><CTL=ACK><DATA=#1>")
	sc.do("deliver server->client <SEQ=301><ACK=102><CTL=ACK>")
	sc.do("deliver server->client <SEQ=301><ACK=103><CTL=ACK>")
	v := sc.s.Ep[Server]
	if v.Recvd != 2 || v.Received != [MaxData]uint8{0, 1, 0} || v.RcvNxt != 103 || sc.s.Ep[Client].SndUna != 103 {
		t.Errorf("after two octets:\n%s", Format(sc.s))
	}
}

func TestCloseWaitIgnoresSegmentText_3_10_7_4(t *testing.T) {
	for _, flaw := range []bool{false, true} {
		cfg := fixedISS(100, 300)
		cfg.AcceptDataAfterFIN = flaw
		sc := handshake(t, cfg)
		sc.do("client: CLOSE")
		sc.do("deliver client->server <SEQ=101><ACK=301><CTL=FIN,ACK>")
		sc.expectStates(FIN_WAIT_1, CLOSE_WAIT)
		// A (broken) peer's octet after its FIN, at RCV.NXT.
		sc.s.Net[Client].Push(Segment{Seq: 102, Ack: 301, Flags: ACK, Len: 1, Tag: 0}, cfg.Cap)
		sc.do("deliver client->server <SEQ=102><ACK=301><CTL=ACK><DATA=#0>")
		if got := sc.s.Ep[Server].Recvd; got != map[bool]uint8{false: 0, true: 1}[flaw] {
			t.Errorf("AcceptDataAfterFIN=%v: the application received %d octets after end-of-stream", flaw, got)
		}
	}
}

func TestSendAfterCloseIsRefusedUnlessFlawed_3_10_2(t *testing.T) {
	for _, flaw := range []bool{false, true} {
		cfg := fixedISS(100, 300)
		cfg.SendAfterClose = flaw
		sc := handshake(t, cfg)
		sc.do("client: CLOSE")
		if got := sc.enabled("client: SEND octet #0"); got != flaw {
			t.Errorf("SendAfterClose=%v: SEND in FIN_WAIT_1 enabled = %v", flaw, got)
		}
	}
}

func TestSendInListenTurnsActive_3_10_2(t *testing.T) {
	sc := newScript(t, fixedISS(100, 300))
	sc.do("server: passive OPEN")
	sc.expectSent("server: SEND octet #0 in LISTEN: turns active (ISS=300), octet queued", "server sends SYN seq=300")
	sc.expectStates(CLOSED, SYN_SENT)
	sc.do("client: passive OPEN")
	sc.do("deliver server->client <SEQ=300><CTL=SYN> (ISS=100)")
	sc.do("deliver client->server <SEQ=100><ACK=301><CTL=SYN,ACK>")
	sc.expectStates(SYN_RECEIVED, ESTABLISHED)
	sc.expectSent("server: send queued octet #0", "server sends ACK seq=301 ack=101 len=1")
}

func TestLastAckWaitsForAckOfFin_3_10_7_4(t *testing.T) {
	sc := handshake(t, fixedISS(100, 300))
	sc.do("client: CLOSE")
	sc.do("deliver client->server <SEQ=101><ACK=301><CTL=FIN,ACK>")
	sc.do("server: CLOSE")
	sc.expectStates(FIN_WAIT_1, LAST_ACK)
	sc.do("deliver server->client <SEQ=301><ACK=102><CTL=ACK>") // does not ack the server's FIN
	sc.do("deliver server->client <SEQ=301><ACK=102><CTL=FIN,ACK>")
	sc.expectStates(TIME_WAIT, LAST_ACK)
	sc.do("deliver client->server <SEQ=102><ACK=302><CTL=ACK>")
	sc.expectStates(TIME_WAIT, CLOSED)
	if sc.s.Ep[Server].End != EndLastAck {
		t.Errorf("server ended %q", sc.s.Ep[Server].End)
	}
}

func TestAbortSendsResetAndPeerResets_3_10_5(t *testing.T) {
	sc := handshake(t, fixedISS(100, 300))
	sc.expectSent("server: ABORT", "server sends RST seq=301")
	sc.expectStates(ESTABLISHED, CLOSED)
	sc.expectSent("deliver server->client <SEQ=301><CTL=RST>")
	sc.expectStates(CLOSED, CLOSED)
	if sc.s.Ep[Client].End != EndReset || sc.s.Ep[Server].End != EndAbort {
		t.Errorf("ends: client %q server %q", sc.s.Ep[Client].End, sc.s.Ep[Server].End)
	}
}

func TestResetOutsideWindowIsDroppedAndNotExactIsChallenged_3_10_7_4(t *testing.T) {
	cfg := fixedISS(100, 300)
	sc := handshake(t, cfg)
	sc.s.Net[Server].Push(Segment{Seq: 300, Flags: RST}, cfg.Cap) // below RCV.NXT=301: not acceptable
	sc.expectSent("deliver server->client <SEQ=300><CTL=RST>")
	sc.s.Net[Server].Push(Segment{Seq: 305, Flags: RST}, cfg.Cap) // in window, not RCV.NXT
	sc.expectSent("deliver server->client <SEQ=305><CTL=RST>", "client sends ACK seq=101 ack=301")
	sc.expectStates(ESTABLISHED, ESTABLISHED)
}

func TestTimeWaitTimeoutDeletesTCB_3_10_8(t *testing.T) {
	sc := handshake(t, fixedISS(100, 300))
	sc.do("client: CLOSE")
	sc.do("deliver client->server <SEQ=101><ACK=301><CTL=FIN,ACK>")
	sc.do("deliver server->client <SEQ=301><ACK=102><CTL=ACK>")
	sc.do("server: CLOSE")
	sc.do("deliver server->client <SEQ=301><ACK=102><CTL=FIN,ACK>")
	// 2MSL lets every segment in flight arrive or die first: the timer
	// cannot expire while the client's last ACK is on its way.
	if sc.enabled("client: 2MSL timeout") {
		t.Fatalf("2MSL timeout enabled with a segment in flight:\n%s", Format(sc.s))
	}
	sc.do("deliver client->server <SEQ=102><ACK=302><CTL=ACK>")
	sc.expectStates(TIME_WAIT, CLOSED)
	sc.do("client: 2MSL timeout")
	e := sc.s.Ep[Client]
	if e.State != CLOSED || e.ISS != 0 || e.SndNxt != 0 || e.End != EndTimeWait {
		t.Errorf("after 2MSL: %+v", e)
	}
}

func TestSequenceNumbersWrapAround_3_4(t *testing.T) {
	cfg := fixedISS(1<<32-1, 300)
	sc := newScript(t, cfg)
	sc.do("server: passive OPEN")
	sc.do("client: active OPEN (ISS=4294967295)")
	sc.expectSent("deliver client->server <SEQ=4294967295><CTL=SYN> (ISS=300)", "server sends SYN,ACK seq=300 ack=0")
	sc.expectSent("deliver server->client <SEQ=300><ACK=0><CTL=SYN,ACK>", "client sends ACK seq=0 ack=301")
	sc.do("deliver client->server <SEQ=0><ACK=301><CTL=ACK>")
	sc.expectStates(ESTABLISHED, ESTABLISHED)
	sc.expectSent("client: SEND octet #0", "client sends ACK seq=0 ack=301 len=1")
	sc.expectSent("deliver client->server <SEQ=0><ACK=301><CTL=ACK><DATA=#0>", "server sends ACK seq=301 ack=1")
	sc.do("deliver server->client <SEQ=301><ACK=1><CTL=ACK>")
	if c := sc.s.Ep[Client]; c.SndUna != 1 || sc.s.Ep[Server].Recvd != 1 {
		t.Errorf("across the wrap:\n%s", Format(sc.s))
	}
}

func TestUserCallsNotServicedAreNotEnabled_3_10(t *testing.T) {
	sc := handshake(t, fixedISS(100, 300))
	sc.do("client: CLOSE")
	for _, l := range []string{"client: CLOSE", "client: passive OPEN", "client: active OPEN (ISS=100)", "client: SEND octet #0"} {
		if sc.enabled(l) {
			t.Errorf("%q enabled in FIN_WAIT_1", l)
		}
	}
}

// §3.4.1: each host has an ISN clock of its own. Config.ISSStep advances
// both sides' clocks between connections unless Config.ServerISSStep
// gives the server's.
func TestEachSideHasItsOwnISNClock_3_4_1(t *testing.T) {
	cfg := fixedISS(100, 300)
	cfg.ISSStep = 1
	if got := [2]uint32{cfg.iss(Client, 0, 2), cfg.iss(Server, 0, 2)}; got != [2]uint32{101, 301} {
		t.Errorf("second connections' ISS with one clock step 1: %v, want [101 301]", got)
	}
	cfg.ServerISSStep = 2048
	if got := [2]uint32{cfg.iss(Client, 0, 3), cfg.iss(Server, 0, 3)}; got != [2]uint32{102, 300 + 2*2048} {
		t.Errorf("third connections' ISS with steps 1 and 2048: %v, want [102 %d]", got, 300+2*2048)
	}
}
