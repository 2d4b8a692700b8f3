package main

import (
	"net/http"
	"net/http/pprof"
	runtimepprof "runtime/pprof"
)

// mountPprof serves net/http/pprof under prefix (e.g. "/user/debug/pprof/"), the way
// a service behind a path-routing proxy does.
//
// pprof.Index alone is not enough there: it only dispatches to a named profile when
// r.URL.Path starts with "/debug/pprof/" and otherwise renders the index page for
// every path. So each profile gets its own pprof.Handler(name), which handles
// ?debug=N and ?seconds=N (delta profiles) itself.
func mountPprof(mux *http.ServeMux, prefix string) {
	mux.HandleFunc("GET "+prefix+"{$}", pprof.Index)
	mux.HandleFunc(prefix+"cmdline", pprof.Cmdline)
	mux.HandleFunc(prefix+"profile", pprof.Profile)
	// Symbol accepts POST bodies of addresses as well as GET.
	mux.HandleFunc(prefix+"symbol", pprof.Symbol)
	mux.HandleFunc(prefix+"trace", pprof.Trace)
	// Every profile the runtime has: goroutine, heap, allocs, mutex, block, threadcreate,
	// and goroutineleak where it exists (Go 1.27, or 1.26 built with
	// GOEXPERIMENT=goroutineleakprofile). CPU ("profile") and "trace" have their own handlers above.
	for _, p := range runtimepprof.Profiles() {
		mux.Handle(prefix+p.Name(), pprof.Handler(p.Name()))
	}
}
