// Command demo-service is a small HTTP service with three deliberate bugs, used by
// gotriage's demo and tests: a goroutine leak (export.go), a data race (stats.go)
// and a CPU hotspot (checksum.go). See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	flag.Parse()
	// Structured logs on stderr (log/slog's text format); the log package's output goes
	// through the same handler, so every line has time=, level= and msg=.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))

	// Mutex and block profiles stay empty unless a rate is set. Sample modestly so
	// the profiles have data without slowing the service noticeably.
	runtime.SetMutexProfileFraction(10)
	runtime.SetBlockProfileRate(100_000) // one sample per 100 µs spent blocked

	// Catch SIGTERM before announcing the port: a caller may stop us as soon as it has
	// read the line, and an uncaught SIGTERM would kill us without a clean shutdown.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Listen before printing, so the printed port is already accepting connections
	// when a caller reads it (no race between "port known" and "port open").
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen %s: %v", *addr, err)
	}
	// The only line ever written to stdout; callers parse it to learn the port.
	fmt.Printf("listening on http://%s\n", ln.Addr())

	if err := serve(ctx, ln, withMetrics(newMux())); err != nil {
		log.Fatalf("serve: %v", err)
	}
	log.Printf("stopped")
}

// newMux wires every route of the service.
func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	st := &stats{}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /export", handleExport)
	mux.HandleFunc("GET /hit", st.handleHit)
	mux.HandleFunc("GET /checksum", handleChecksum)
	mountPprof(mux, "/user/debug/pprof/")
	return mux
}

// serve runs the HTTP server until ctx is cancelled (SIGINT/SIGTERM), then shuts
// it down gracefully with a short deadline.
func serve(ctx context.Context, ln net.Listener, handler http.Handler) error {
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Printf("serving on %s", ln.Addr())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
