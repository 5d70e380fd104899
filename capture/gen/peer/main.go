//go:build linux

// Command peer is the client and server side of the real captures in
// capture/testdata/linux (see capture/gen/make-captures.sh, which runs it
// inside network namespaces and records the traffic with tcpdump).
//
// Each mode drives the Linux TCP stack into one behaviour of RFC 9293 that
// the validator must accept:
//
//	selfconnect  one socket bound to A and connected to A: a simultaneous
//	             open with a single TCB (§3.5 Figure 7), data, close.
//	keepalive    an idle connection with SO_KEEPALIVE, TCP_KEEPIDLE and
//	             TCP_KEEPINTVL of 1 s: keep-alive probes (§3.8.4) with
//	             SEG.SEQ = SND.NXT-1, and their ACKs; then a normal close.
//	zerowindow   a receiver with a small SO_RCVBUF that stops reading while
//	             the sender writes: zero-window probes and window updates
//	             (§3.8.6.1); then close.
//	timewait     two connections on the same 4-tuple, the first closed by
//	             the server (which holds TIME-WAIT when the second SYN
//	             arrives, §3.10.7.4, RFC 6191).
//	bulk         a large one-way transfer, then close.
//	http         many short request/response connections, half closed by
//	             the client first and half by the server first.
//
// A server and its client are two processes (-role server / -role client)
// so that they can live in two network namespaces; selfconnect has one.
// Only the syscall package of the standard library is used.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	mode := flag.String("mode", "", "selfconnect, keepalive, zerowindow, timewait, bulk or http")
	role := flag.String("role", "", "server or client (not for selfconnect)")
	addr := flag.String("addr", "127.0.0.1:40200", "server address (selfconnect: the one address)")
	local := flag.String("local", "", "client local address (timewait; default: any)")
	size := flag.Int("size", 6<<20, "bulk: octets the client sends; http: octets of each response")
	conns := flag.Int("conns", 200, "http: number of connections")
	par := flag.Int("par", 8, "http: connections in parallel")
	rcvbuf := flag.Int("rcvbuf", 2048, "zerowindow: server SO_RCVBUF")
	stall := flag.Duration("stall", 3*time.Second, "zerowindow: time the server does not read; keepalive: idle time")
	flag.Parse()
	if err := run(*mode, *role, *addr, *local, *size, *conns, *par, *rcvbuf, *stall); err != nil {
		fmt.Fprintf(os.Stderr, "peer %s %s: %v\n", *mode, *role, err)
		os.Exit(1)
	}
}

func run(mode, role, addr, local string, size, conns, par, rcvbuf int, stall time.Duration) error {
	if mode == "selfconnect" {
		return selfConnect(addr)
	}
	if role != "server" && role != "client" {
		return fmt.Errorf("-role must be server or client, not %q", role)
	}
	server := role == "server"
	switch mode {
	case "keepalive":
		if server {
			return keepAliveServer(addr)
		}
		return keepAliveClient(addr, stall)
	case "zerowindow":
		if server {
			return zeroWindowServer(addr, rcvbuf, stall)
		}
		return zeroWindowClient(addr, size)
	case "timewait":
		if server {
			return timeWaitServer(addr)
		}
		return timeWaitClient(addr, local)
	case "bulk":
		if server {
			return bulkServer(addr)
		}
		return bulkClient(addr, size)
	case "http":
		if server {
			return httpServer(addr, size)
		}
		return httpClient(addr, conns, par)
	}
	return fmt.Errorf("unknown -mode %q", mode)
}

// sockaddr parses "a.b.c.d:port".
func sockaddr(s string) (*syscall.SockaddrInet4, error) {
	ap, err := net.ResolveTCPAddr("tcp4", s)
	if err != nil {
		return nil, err
	}
	sa := &syscall.SockaddrInet4{Port: ap.Port}
	copy(sa.Addr[:], ap.IP.To4())
	return sa, nil
}

// selfConnect binds one socket to addr and connects it to addr. Linux
// sends a SYN to itself, receives it in SYN-SENT and answers with a
// SYN,ACK (simultaneous open, RFC 9293 §3.5 Figure 7, with one TCB on both
// ends), then the socket writes a line, reads it back, shuts down its
// sending side, reads its own FIN and closes: a simultaneous close.
func selfConnect(addr string) error {
	sa, err := sockaddr(addr)
	if err != nil {
		return err
	}
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
		return err
	}
	if err := syscall.Bind(fd, sa); err != nil {
		return fmt.Errorf("bind: %w", err)
	}
	if err := syscall.Connect(fd, sa); err != nil {
		return fmt.Errorf("connect to itself: %w", err)
	}
	msg := []byte("hello, me\n")
	if _, err := syscall.Write(fd, msg); err != nil {
		return err
	}
	buf := make([]byte, 64)
	got := 0
	for got < len(msg) {
		n, err := syscall.Read(fd, buf[got:])
		if err != nil || n == 0 {
			return fmt.Errorf("read own data: %d octets, %v", got, err)
		}
		got += n
	}
	if !bytes.Equal(buf[:got], msg) {
		return fmt.Errorf("read %q, wrote %q", buf[:got], msg)
	}
	if err := syscall.Shutdown(fd, syscall.SHUT_WR); err != nil {
		return err
	}
	n, err := syscall.Read(fd, buf)
	if err != nil || n != 0 {
		return fmt.Errorf("want own FIN (EOF), got %d octets, %v", n, err)
	}
	time.Sleep(100 * time.Millisecond)
	return nil
}

// listen listens on addr; set, if not nil, sets socket options on the
// listening socket before bind (accepted sockets inherit them).
func listen(addr string, set func(fd int) error) (net.Listener, error) {
	lc := net.ListenConfig{KeepAlive: -1}
	if set != nil {
		lc.Control = control(set)
	}
	return lc.Listen(context.Background(), "tcp4", addr)
}

// dial connects to addr from local (if not empty) with SO_REUSEADDR and
// the options set by set, and without Go's default keep-alive.
func dial(addr, local string, set func(fd int) error) (*net.TCPConn, error) {
	d := net.Dialer{KeepAlive: -1, Timeout: 30 * time.Second}
	if local != "" {
		la, err := net.ResolveTCPAddr("tcp4", local)
		if err != nil {
			return nil, err
		}
		d.LocalAddr = la
	}
	d.Control = control(func(fd int) error {
		if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
			return err
		}
		if set != nil {
			return set(fd)
		}
		return nil
	})
	c, err := d.Dial("tcp4", addr)
	if err != nil {
		return nil, err
	}
	return c.(*net.TCPConn), nil
}

func control(set func(fd int) error) func(string, string, syscall.RawConn) error {
	return func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) { serr = set(int(fd)) }); err != nil {
			return err
		}
		return serr
	}
}

// keepAlive sets SO_KEEPALIVE with TCP_KEEPIDLE = TCP_KEEPINTVL = 1 s.
func keepAlive(fd int) error {
	for _, o := range [][3]int{
		{syscall.SOL_SOCKET, syscall.SO_KEEPALIVE, 1},
		{syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE, 1},
		{syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL, 1},
		{syscall.IPPROTO_TCP, syscall.TCP_KEEPCNT, 9},
	} {
		if err := syscall.SetsockoptInt(fd, o[0], o[1], o[2]); err != nil {
			return err
		}
	}
	return nil
}

// acceptOne accepts one connection and closes the listener.
func acceptOne(ln net.Listener) (*net.TCPConn, error) {
	defer ln.Close()
	if tl, ok := ln.(*net.TCPListener); ok {
		tl.SetDeadline(time.Now().Add(60 * time.Second))
	}
	c, err := ln.Accept()
	if err != nil {
		return nil, err
	}
	return c.(*net.TCPConn), nil
}

// readLine reads up to and including '\n'.
func readLine(c net.Conn) (string, error) {
	return bufio.NewReader(c).ReadString('\n')
}

// expectEOF reads until the peer's FIN and fails on any data.
func expectEOF(c net.Conn) error {
	n, err := io.Copy(io.Discard, c)
	if err != nil {
		return err
	}
	if n != 0 {
		return fmt.Errorf("%d unexpected octets before EOF", n)
	}
	return nil
}

// keepAliveServer answers "ping" with "pong", waits (its own keep-alive
// timer also runs), answers "bye" and closes after the client's FIN.
func keepAliveServer(addr string) error {
	ln, err := listen(addr, keepAlive)
	if err != nil {
		return err
	}
	c, err := acceptOne(ln)
	if err != nil {
		return err
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for _, want := range []string{"ping\n", "bye\n"} {
		l, err := r.ReadString('\n')
		if err != nil || l != want {
			return fmt.Errorf("read %q, %v; want %q", l, err, want)
		}
		if _, err := c.Write([]byte("ok " + l)); err != nil {
			return err
		}
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return fmt.Errorf("want EOF, got %v", err)
	}
	return nil
}

// keepAliveClient exchanges a line, stays idle for idle (probes flow),
// exchanges a second line and closes first.
func keepAliveClient(addr string, idle time.Duration) error {
	c, err := dial(addr, "", keepAlive)
	if err != nil {
		return err
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for i, l := range []string{"ping\n", "bye\n"} {
		if i == 1 {
			time.Sleep(idle)
		}
		if _, err := c.Write([]byte(l)); err != nil {
			return err
		}
		if got, err := r.ReadString('\n'); err != nil || got != "ok "+l {
			return fmt.Errorf("read %q, %v", got, err)
		}
	}
	return c.Close()
}

// zeroWindowServer accepts with a small receive buffer, does not read for
// stall (the window closes and the sender probes it), then reads
// everything to EOF (window updates reopen it) and closes.
func zeroWindowServer(addr string, rcvbuf int, stall time.Duration) error {
	ln, err := listen(addr, func(fd int) error {
		return syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF, rcvbuf)
	})
	if err != nil {
		return err
	}
	c, err := acceptOne(ln)
	if err != nil {
		return err
	}
	defer c.Close()
	time.Sleep(stall)
	buf := make([]byte, 1024)
	total := 0
	for {
		n, err := c.Read(buf)
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		time.Sleep(time.Millisecond)
	}
	fmt.Fprintf(os.Stderr, "zerowindow server: read %d octets\n", total)
	return c.Close()
}

// zeroWindowClient writes size octets and closes.
func zeroWindowClient(addr string, size int) error {
	c, err := dial(addr, "", nil)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.Write(make([]byte, size)); err != nil {
		return err
	}
	if err := c.CloseWrite(); err != nil {
		return err
	}
	return expectEOF(c)
}

// timeWaitServer serves two connections: each reads a line, answers it
// and closes first, so the server's end of the first connection is in
// TIME-WAIT when the second SYN (same 4-tuple) arrives.
func timeWaitServer(addr string) error {
	ln, err := listen(addr, nil)
	if err != nil {
		return err
	}
	defer ln.Close()
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(60 * time.Second))
	for i := 0; i < 2; i++ {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		l, err := readLine(c)
		if err != nil {
			c.Close()
			return err
		}
		c.Write([]byte("ok " + l))
		if err := c.Close(); err != nil {
			return err
		}
	}
	return nil
}

// timeWaitClient makes the two connections from the same local address.
func timeWaitClient(addr, local string) error {
	if local == "" {
		return errors.New("timewait client needs -local")
	}
	for i := 0; i < 2; i++ {
		c, err := dial(addr, local, nil)
		if err != nil {
			return fmt.Errorf("connection %d: %w", i+1, err)
		}
		l := fmt.Sprintf("connection %d\n", i+1)
		c.Write([]byte(l))
		b, err := io.ReadAll(c)
		if err != nil || string(b) != "ok "+l {
			c.Close()
			return fmt.Errorf("connection %d: read %q, %v", i+1, b, err)
		}
		c.Close()
		// the LAST-ACK is acknowledged within a round trip
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// bulkServer reads to EOF and closes.
func bulkServer(addr string) error {
	ln, err := listen(addr, nil)
	if err != nil {
		return err
	}
	c, err := acceptOne(ln)
	if err != nil {
		return err
	}
	defer c.Close()
	n, err := io.Copy(io.Discard, c)
	fmt.Fprintf(os.Stderr, "bulk server: read %d octets\n", n)
	if err != nil {
		return err
	}
	return c.Close()
}

// bulkClient sends size octets, closes first and waits for the server's
// FIN.
func bulkClient(addr string, size int) error {
	c, err := dial(addr, "", nil)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.Write(make([]byte, size)); err != nil {
		return err
	}
	if err := c.CloseWrite(); err != nil {
		return err
	}
	return expectEOF(c)
}

// httpServer answers each request "GET /N CLOSE\r\n\r\n" with a response
// of size octets of body. CLOSE is "server" (the server closes first,
// right after the response) or "client" (the server waits for the
// client's FIN, then closes). It runs until killed.
func httpServer(addr string, size int) error {
	ln, err := listen(addr, nil)
	if err != nil {
		return err
	}
	defer ln.Close()
	body := bytes.Repeat([]byte("x"), size)
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go func(c net.Conn) {
			defer c.Close()
			c.SetDeadline(time.Now().Add(120 * time.Second))
			r := bufio.NewReader(c)
			var req []string
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					fmt.Fprintf(os.Stderr, "http server: %v\n", err)
					return
				}
				if l == "\r\n" {
					break
				}
				req = append(req, strings.TrimSpace(l))
			}
			f := strings.Fields(req[0])
			if len(f) != 3 {
				fmt.Fprintf(os.Stderr, "http server: bad request %q\n", req[0])
				return
			}
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", size)
			c.Write(body)
			if f[2] == "client" {
				io.Copy(io.Discard, r)
			}
		}(c)
	}
}

// httpClient makes n connections, par at a time; connection i asks the
// server to close first when i is odd, and closes first itself when i is
// even. It reports each failure; it fails if more than 5% fail: under
// faults a connection can really fail (it happened with a first version
// of the mid-path faults, see capture/testdata/README.md).
func httpClient(addr string, n, par int) error {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []string
	)
	sem := make(chan struct{}, par)
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			if err := httpOne(addr, i); err != nil {
				mu.Lock()
				failed = append(failed, fmt.Sprintf("connection %d: %v", i, err))
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	for _, f := range failed {
		fmt.Fprintln(os.Stderr, f)
	}
	fmt.Fprintf(os.Stderr, "http client: %d connections, %d failed\n", n, len(failed))
	if len(failed)*20 > n {
		return fmt.Errorf("%d of %d connections failed", len(failed), n)
	}
	return nil
}

func httpOne(addr string, i int) error {
	c, err := dial(addr, "", nil)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(120 * time.Second))
	closer := "client"
	if i%2 == 1 {
		closer = "server"
	}
	fmt.Fprintf(c, "GET /%d %s\r\nHost: server\r\n\r\n", i, closer)
	r := bufio.NewReader(c)
	length := -1
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("response header: %w", err)
		}
		if l == "\r\n" {
			break
		}
		if v, ok := strings.CutPrefix(l, "Content-Length: "); ok {
			length, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if length < 0 {
		return errors.New("no Content-Length")
	}
	if _, err := io.CopyN(io.Discard, r, int64(length)); err != nil {
		return fmt.Errorf("body: %w", err)
	}
	if closer == "server" {
		// wait for the server's FIN, then close
		if _, err := r.ReadByte(); err != io.EOF {
			return fmt.Errorf("want EOF after the body, got %v", err)
		}
	}
	return c.Close()
}
