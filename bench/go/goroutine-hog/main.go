// Command goroutine-hog holds tens of thousands of goroutines parked deep in a call
// chain and serves net/http/pprof, so that /debug/pprof/goroutine?debug=2 is a dump of
// hundreds of MB: the input of gotriage's collect.goroutine-dump.200MB benchmark.
//
// Stock net/http/pprof stops a debug=2 dump at 64 MB (runtime/pprof writeGoroutineStacks
// gives up doubling its runtime.Stack buffer there and sends a truncated dump). A service
// that wants the whole dump has to call runtime.Stack itself, as this one does for
// debug=2; every other profile and debug level is the stock handler.
//
// It only listens on loopback and exits by itself after -lifetime.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// park recurses depth frames deep, then blocks on release forever. Each frame of the
// chain shows up in the debug=2 dump as two lines (call and file:line).
//
//go:noinline
func park(depth int, ready *sync.WaitGroup, release <-chan struct{}) int {
	if depth > 0 {
		return park(depth-1, ready, release) + 1
	}
	ready.Done()
	<-release
	return 0
}

// lastDumpSize sizes the next runtime.Stack buffer, so a repeated dump needs one try.
var lastDumpSize atomic.Int64

// serveFullGoroutineDump writes every goroutine's stack, however large.
func serveFullGoroutineDump(w http.ResponseWriter) {
	size := max(lastDumpSize.Load()+lastDumpSize.Load()/4, 64<<20)
	var buf []byte
	for {
		buf = make([]byte, size)
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		size *= 2
	}
	lastDumpSize.Store(int64(len(buf)))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	written, err := w.Write(buf)
	// The benchmark compares this line with the size of the file gotriage wrote.
	log.Printf("served goroutine dump: %d bytes (written %d, err %v)", len(buf), written, err)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	goroutines := flag.Int("goroutines", 48_000, "goroutines to park")
	depth := flag.Int("depth", 60, "frames each goroutine is parked under")
	lifetime := flag.Duration("lifetime", 10*time.Minute, "exit after this long")
	flag.Parse()
	log.SetPrefix("goroutine-hog: ")
	time.AfterFunc(*lifetime, func() {
		log.Printf("lifetime %s over, exiting", *lifetime)
		os.Exit(0)
	})

	release := make(chan struct{})
	var ready sync.WaitGroup
	ready.Add(*goroutines)
	for i := 0; i < *goroutines; i++ {
		go park(*depth, &ready, release)
	}
	ready.Wait()

	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/pprof/goroutine", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("debug") == "2" {
			serveFullGoroutineDump(w)
			return
		}
		pprof.Handler("goroutine").ServeHTTP(w, r)
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen %s: %v", *addr, err)
	}
	// Printed once every goroutine is parked: the dump is complete from the first request.
	fmt.Printf("listening on http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, mux))
}
