//go:build linux

// Command nfdelay delays and reorders the packets that iptables hands it
// with the NFQUEUE target: a stand-in for netem (sch_netem is not in the
// kernel these captures are made on) for the mid-path corpus of
// capture/gen/make-captures.sh.
//
// Each packet queued on one of the queues is held for delay ± jitter
// (uniform), then given back to the kernel with an NF_ACCEPT verdict.
// Held packets leave in the order they came (a packet whose draw is
// shorter than its predecessor's waits for it), except that a fraction
// reorder of them is let through at once, overtaking those held on the
// same queue: as netem's "delay 10ms 5ms reorder 10%" does. A fraction
// loss of the packets is dropped (NF_DROP verdict) instead.
//
// Why loss here and not only with iptables: a packet that an iptables
// rule drops in OUTPUT or POSTROUTING makes the sender's ip_local_out
// fail with EPERM, and Linux TCP reacts to that error as no wire loss
// would: a data segment counts as not sent, and a SYN,ACK whose
// retransmission fails makes the listener drop the SYN-RECEIVED request
// (seen: the client's next segment was answered with a reset). A queued
// packet is sent as far as the sender knows, so an NF_DROP verdict is a
// loss on the wire. Duplication is an iptables TEE rule before the
// NFQUEUE rule; loss on the receiving side (INPUT) can be an iptables
// DROP, which nobody is told about.
//
// It speaks the nfnetlink_queue protocol (linux/netfilter/nfnetlink_queue.h)
// over a NETLINK_NETFILTER socket with the syscall package alone, runs
// until SIGINT or SIGTERM, and then prints what it did: packets seen,
// let through at once, and the largest number held at a time.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// nfnetlink and nfnetlink_queue constants (linux/netfilter/nfnetlink.h,
// nfnetlink_queue.h, netfilter.h).
const (
	netlinkNetfilter = 12 // NETLINK_NETFILTER
	subsysQueue      = 3  // NFNL_SUBSYS_QUEUE
	msgPacket        = 0  // NFQNL_MSG_PACKET
	msgVerdict       = 1  // NFQNL_MSG_VERDICT
	msgConfig        = 2  // NFQNL_MSG_CONFIG
	cfgCmd           = 1  // NFQA_CFG_CMD
	cfgParams        = 2  // NFQA_CFG_PARAMS
	cfgQueueMaxlen   = 3  // NFQA_CFG_QUEUE_MAXLEN
	cmdBind          = 1  // NFQNL_CFG_CMD_BIND
	copyMeta         = 1  // NFQNL_COPY_META
	attrPacketHdr    = 1  // NFQA_PACKET_HDR
	attrVerdictHdr   = 2  // NFQA_VERDICT_HDR
	nfDrop           = 0  // NF_DROP
	nfAccept         = 1  // NF_ACCEPT
	nlaTypeMask      = 0x3fff
)

func main() {
	queues := flag.String("queues", "0", "comma-separated NFQUEUE numbers to serve")
	delay := flag.Duration("delay", 10*time.Millisecond, "mean delay")
	jitter := flag.Duration("jitter", 5*time.Millisecond, "delay is uniform in [delay-jitter, delay+jitter]")
	reorder := flag.Float64("reorder", 0.10, "fraction of packets let through at once, overtaking held ones")
	loss := flag.Float64("loss", 0, "fraction of packets dropped (NF_DROP)")
	flag.Parse()
	var qs []uint16
	for _, s := range strings.Split(*queues, ",") {
		n, err := strconv.ParseUint(s, 10, 16)
		if err != nil {
			fmt.Fprintf(os.Stderr, "nfdelay: bad queue number %q\n", s)
			os.Exit(2)
		}
		qs = append(qs, uint16(n))
	}
	if *jitter > *delay || *reorder < 0 || *reorder > 1 || *loss < 0 || *loss > 1 {
		fmt.Fprintln(os.Stderr, "nfdelay: need jitter <= delay, 0 <= reorder <= 1 and 0 <= loss <= 1")
		os.Exit(2)
	}
	if err := run(qs, *delay, *jitter, *reorder, *loss); err != nil {
		fmt.Fprintf(os.Stderr, "nfdelay: %v\n", err)
		os.Exit(1)
	}
}

// held is a queued packet and the time its verdict is due.
type held struct {
	queue uint16
	id    uint32
	due   time.Time
}

// line is the FIFO of one queue's held packets; due times never decrease.
type line struct {
	mu   sync.Mutex
	pkts []held
	wake chan struct{}
	last time.Time
	max  int
}

type stats struct {
	mu                    sync.Mutex
	seen, atOnce, dropped int
}

func run(qs []uint16, delay, jitter time.Duration, reorder, loss float64) error {
	fd, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_RAW|syscall.SOCK_CLOEXEC, netlinkNetfilter)
	if err != nil {
		return fmt.Errorf("netlink socket: %w", err)
	}
	defer syscall.Close(fd)
	// room for bursts: a packet message is ~100 octets with NFQNL_COPY_META
	syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUFFORCE, 8<<20)
	if err := syscall.Bind(fd, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return fmt.Errorf("netlink bind: %w", err)
	}
	nl := &conn{fd: fd}
	for _, q := range qs {
		if err := nl.request(q, attr(cfgCmd, []byte{cmdBind, 0, 0, syscall.AF_INET})); err != nil {
			return fmt.Errorf("bind queue %d: %w", q, err)
		}
		params := make([]byte, 5)
		binary.BigEndian.PutUint32(params, 0)
		params[4] = copyMeta
		maxlen := binary.BigEndian.AppendUint32(nil, 16384)
		if err := nl.request(q, append(attr(cfgParams, params), attr(cfgQueueMaxlen, maxlen)...)); err != nil {
			return fmt.Errorf("configure queue %d: %w", q, err)
		}
	}
	fmt.Fprintf(os.Stderr, "nfdelay: ready: queues %v, delay %v ± %v, %.0f%% let through at once, %.0f%% dropped\n", qs, delay, jitter, 100*reorder, 100*loss)
	lines := map[uint16]*line{}
	for _, q := range qs {
		l := &line{wake: make(chan struct{}, 1)}
		lines[q] = l
		go l.release(nl)
	}
	var st stats
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- receive(nl, lines, delay, jitter, reorder, loss, &st) }()
	select {
	case <-sig:
	case err := <-done:
		return err
	}
	// No NFQNL_CFG_CMD_UNBIND: its acknowledgement would go to the
	// receiving goroutine (a first version waited for it for ever).
	// Closing the socket unbinds the queues; packets still held are
	// dropped by the kernel then.
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, q := range qs {
		l := lines[q]
		l.mu.Lock()
		fmt.Fprintf(os.Stderr, "nfdelay: queue %d: at most %d held, %d still held\n", q, l.max, len(l.pkts))
		l.mu.Unlock()
	}
	fmt.Fprintf(os.Stderr, "nfdelay: %d packets, %d dropped, %d let through at once, %d verdict errors\n", st.seen, st.dropped, st.atOnce, nl.errors())
	return nil
}

// receive reads packet messages and schedules their verdicts.
func receive(nl *conn, lines map[uint16]*line, delay, jitter time.Duration, reorder, loss float64, st *stats) error {
	buf := make([]byte, 1<<16)
	for {
		n, _, err := syscall.Recvfrom(nl.fd, buf, 0)
		if err == syscall.EINTR {
			continue
		}
		if err == syscall.ENOBUFS {
			// the kernel lost messages: their packets stay queued, unseen
			return errors.New("netlink receive buffer overrun (ENOBUFS): packets lost in the queue")
		}
		if err != nil {
			return fmt.Errorf("netlink receive: %w", err)
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return fmt.Errorf("netlink message: %w", err)
		}
		now := time.Now()
		for _, m := range msgs {
			switch {
			case m.Header.Type == syscall.NLMSG_ERROR:
				if e := int32(binary.NativeEndian.Uint32(m.Data)); e != 0 {
					nl.fail()
					fmt.Fprintf(os.Stderr, "nfdelay: kernel error %v (for message %d)\n", syscall.Errno(-e), binary.NativeEndian.Uint32(m.Data[12:]))
				}
				continue
			case m.Header.Type != subsysQueue<<8|msgPacket || len(m.Data) < 4:
				continue
			}
			q := binary.BigEndian.Uint16(m.Data[2:4])
			id, ok := packetID(m.Data[4:])
			l := lines[q]
			if !ok || l == nil {
				return fmt.Errorf("packet message without header or for queue %d", q)
			}
			st.mu.Lock()
			st.seen++
			if rand.Float64() < loss {
				st.dropped++
				st.mu.Unlock()
				nl.verdict(q, id, nfDrop)
				continue
			}
			if rand.Float64() < reorder {
				st.atOnce++
				st.mu.Unlock()
				nl.verdict(q, id, nfAccept)
				continue
			}
			st.mu.Unlock()
			d := delay - jitter + time.Duration(rand.Int64N(int64(2*jitter)+1))
			l.push(held{queue: q, id: id, due: now.Add(d)})
		}
	}
}

// packetID finds NFQA_PACKET_HDR among the attributes and returns its
// packet_id.
func packetID(b []byte) (uint32, bool) {
	for len(b) >= 4 {
		alen := int(binary.NativeEndian.Uint16(b))
		typ := binary.NativeEndian.Uint16(b[2:]) & nlaTypeMask
		if alen < 4 || alen > len(b) {
			return 0, false
		}
		if typ == attrPacketHdr && alen >= 8 {
			return binary.BigEndian.Uint32(b[4:8]), true
		}
		b = b[min(align4(alen), len(b)):]
	}
	return 0, false
}

func (l *line) push(h held) {
	l.mu.Lock()
	if h.due.Before(l.last) {
		h.due = l.last
	}
	l.last = h.due
	l.pkts = append(l.pkts, h)
	l.max = max(l.max, len(l.pkts))
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// release gives each held packet its verdict when it is due.
func (l *line) release(nl *conn) {
	for {
		l.mu.Lock()
		if len(l.pkts) == 0 {
			l.mu.Unlock()
			<-l.wake
			continue
		}
		h := l.pkts[0]
		wait := time.Until(h.due)
		if wait <= 0 {
			l.pkts = l.pkts[1:]
			l.mu.Unlock()
			nl.verdict(h.queue, h.id, nfAccept)
			continue
		}
		l.mu.Unlock()
		select {
		case <-time.After(wait):
		case <-l.wake:
		}
	}
}

// conn is the netlink socket; sends are serialised.
type conn struct {
	fd   int
	mu   sync.Mutex
	seq  uint32
	errs int
}

func (c *conn) fail() { c.mu.Lock(); c.errs++; c.mu.Unlock() }

func (c *conn) errors() int { c.mu.Lock(); defer c.mu.Unlock(); return c.errs }

// send writes one nfnetlink message of type typ for queue q.
func (c *conn) send(typ uint16, flags uint16, q uint16, attrs []byte) (uint32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	b := make([]byte, 16+4, 16+4+len(attrs))
	binary.NativeEndian.PutUint32(b[0:], uint32(16+4+len(attrs)))
	binary.NativeEndian.PutUint16(b[4:], subsysQueue<<8|typ)
	binary.NativeEndian.PutUint16(b[6:], syscall.NLM_F_REQUEST|flags)
	binary.NativeEndian.PutUint32(b[8:], c.seq)
	// nfgenmsg: family AF_UNSPEC, version NFNETLINK_V0, res_id (big endian)
	binary.BigEndian.PutUint16(b[18:], q)
	b = append(b, attrs...)
	return c.seq, syscall.Sendto(c.fd, b, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK})
}

// request sends a configuration message and waits for its
// acknowledgement. Only before packets flow: afterwards the receiving
// goroutine reads the socket.
func (c *conn) request(q uint16, attrs []byte) error {
	seq, err := c.send(msgConfig, syscall.NLM_F_ACK, q, attrs)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<16)
	for {
		n, _, err := syscall.Recvfrom(c.fd, buf, 0)
		if err != nil {
			return err
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if m.Header.Type == syscall.NLMSG_ERROR && m.Header.Seq == seq {
				if e := int32(binary.NativeEndian.Uint32(m.Data)); e != 0 {
					return syscall.Errno(-e)
				}
				return nil
			}
		}
	}
}

// verdict gives packet id of queue q the verdict nfAccept or nfDrop.
func (c *conn) verdict(q uint16, id uint32, verdict uint32) {
	v := make([]byte, 8)
	binary.BigEndian.PutUint32(v, verdict)
	binary.BigEndian.PutUint32(v[4:], id)
	if _, err := c.send(msgVerdict, 0, q, attr(attrVerdictHdr, v)); err != nil {
		c.fail()
		fmt.Fprintf(os.Stderr, "nfdelay: verdict for packet %d: %v\n", id, err)
	}
}

// attr encodes one netlink attribute, padded to 4 octets.
func attr(typ uint16, data []byte) []byte {
	b := make([]byte, 4, align4(4+len(data)))
	binary.NativeEndian.PutUint16(b, uint16(4+len(data)))
	binary.NativeEndian.PutUint16(b[2:], typ)
	b = append(b, data...)
	return b[:align4(len(b))]
}

func align4(n int) int { return (n + 3) &^ 3 }
