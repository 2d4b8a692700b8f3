package main

import (
	"net/http"
	"net/http/pprof"
)

// profileNames are the runtime/pprof profiles served by name. "profile" (CPU) and
// "trace" are not in this list: they have their own handlers below.
var profileNames = []string{"goroutine", "heap", "allocs", "mutex", "block", "threadcreate"}

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
	for _, name := range profileNames {
		mux.Handle(prefix+name, pprof.Handler(name))
	}
}
