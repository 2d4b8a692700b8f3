package main

import (
	"fmt"
	"net/http"
)

// stats counts hits on GET /hit. One value is shared by every request.
//
// BUG (data race): net/http serves each request on its own goroutine, and
// recordHit updates the counters with no lock. Updates get lost, and
// `go test -race` reports "WARNING: DATA RACE" in (*stats).recordHit.
type stats struct {
	hits  int
	bytes int
}

// recordHit counts one hit of n bytes and returns the new hit count.
func (s *stats) recordHit(n int) int {
	s.hits++
	s.bytes += n
	return s.hits
}

// handleHit serves GET /hit: counts the request and reports the running count.
func (s *stats) handleHit(w http.ResponseWriter, r *http.Request) {
	n := s.recordHit(len(r.URL.RawQuery))
	fmt.Fprintf(w, "hits=%d\n", n)
}
