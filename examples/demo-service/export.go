package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// exportDeadline is how long a request waits for a fresh export before serving the
// cached one. renderExport usually takes longer than this (see renderDelay).
const exportDeadline = 5 * time.Millisecond

// renderDelay stands in for a slow backend query behind the export.
const renderDelay = 20 * time.Millisecond

// cachedExport is served when the fresh render misses the deadline.
var cachedExport = []byte("id,name\n0,cached\n")

// handleExport serves GET /export: a fresh export if it is ready within
// exportDeadline, else the cached copy.
//
// BUG (goroutine leak): out is unbuffered, and after the deadline nobody receives
// from it, so renderExport blocks forever in `chan send`. Every slow request
// leaves one goroutine (and its rendered buffer) behind.
func handleExport(w http.ResponseWriter, r *http.Request) {
	out := make(chan []byte)
	go renderExport(out)
	select {
	case body := <-out:
		w.Write(body)
	case <-time.After(exportDeadline):
		slog.Error("export render missed its deadline, serving the cached copy", "deadline", exportDeadline, "remote", r.RemoteAddr)
		w.Header().Set("X-Export", "cached")
		w.Write(cachedExport)
	}
}

// renderExport builds the export and sends it on out.
func renderExport(out chan<- []byte) {
	time.Sleep(renderDelay)
	var b bytes.Buffer
	b.WriteString("id,name\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "%d,item-%d\n", i, i)
	}
	out <- b.Bytes()
}
