package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/handshake/handshake/render"
	"github.com/handshake/handshake/web"
)

// runServe implements "handshake serve [MODEL] [--addr HOST:PORT]": the
// web explorer (package web) of the program's models, until ctx is done
// (Ctrl-C). Requests run in contexts derived from ctx, so that stopping
// the server stops the checks still running.
func (p *Program) runServe(ctx context.Context, o *options, positional []string, stdout, stderr io.Writer) int {
	// Each check, matrix and graph the page runs is bounded as the
	// command line's check is.
	cfg := web.Config{Name: p.Name, Models: p.Models, Validate: p.Validate, Check: o.limits()}
	if len(positional) == 1 {
		cfg.Default = positional[0]
	}
	h, err := web.New(cfg)
	if err != nil {
		return p.usageError(stderr, err)
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return p.usageError(stderr, fmt.Errorf("--addr: %v", err))
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		srv.Close()
	}()
	fmt.Fprintf(stdout, "%s explorer: http://%s/%s (Ctrl-C stops it)\n", p.Name, ln.Addr(), cfg.Default)
	err = srv.Serve(ln)
	if !errors.Is(err, http.ErrServerClosed) {
		p.errorf(stderr, "serve: %v\n", err)
		return render.ExitUsage
	}
	<-stopped
	return render.ExitHolds
}
