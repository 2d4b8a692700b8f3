package main

import (
	"fmt"
	"io"
	"net/http"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// withMetrics serves GET /metrics on mux (Prometheus text exposition format 0.0.4,
// standard library only) and returns mux wrapped in a middleware that counts every
// request in demo_http_requests_total{path,code}.
func withMetrics(mux *http.ServeMux) http.Handler {
	reqs := &requestCounter{counts: map[requestKey]uint64{}}
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		// The content type Prometheus expects for the text format, version 0.0.4.
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		writeRuntimeMetrics(w)
		reqs.write(w)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		mux.ServeHTTP(rec, r)
		reqs.add(routeOf(r), rec.code())
	})
}

// routeOf is the route pattern that served r, without its method ("/export"), or
// "unmatched". ServeMux sets r.Pattern (Go 1.23+) on the request it was handed,
// which is the same *Request the middleware holds. Using the pattern rather than
// r.URL.Path keeps the label's values bounded: any client can invent paths.
func routeOf(r *http.Request) string {
	pattern := r.Pattern
	if pattern == "" {
		return "unmatched"
	}
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		pattern = pattern[i+1:]
	}
	return pattern
}

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK // net/http sends 200 on the first Write without WriteHeader
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (Flush, deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusRecorder) code() int {
	if s.status == 0 {
		return http.StatusOK // a handler that wrote nothing still answers 200
	}
	return s.status
}

type requestKey struct {
	path string
	code int
}

// requestCounter holds demo_http_requests_total; a mutex, because every request
// runs on its own goroutine.
type requestCounter struct {
	mu     sync.Mutex
	counts map[requestKey]uint64
}

func (c *requestCounter) add(path string, code int) {
	c.mu.Lock()
	c.counts[requestKey{path, code}]++
	c.mu.Unlock()
}

func (c *requestCounter) write(w io.Writer) {
	c.mu.Lock()
	keys := make([]requestKey, 0, len(c.counts))
	for k := range c.counts {
		keys = append(keys, k)
	}
	values := make(map[requestKey]uint64, len(keys))
	for _, k := range keys {
		values[k] = c.counts[k]
	}
	c.mu.Unlock()
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].path != keys[j].path {
			return keys[i].path < keys[j].path
		}
		return keys[i].code < keys[j].code
	})
	fmt.Fprintln(w, "# HELP demo_http_requests_total HTTP requests served, by route pattern and status code.")
	fmt.Fprintln(w, "# TYPE demo_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "demo_http_requests_total{path=\"%s\",code=\"%d\"} %d\n", escapeLabelValue(k.path), k.code, values[k])
	}
}

// runtimeSamples maps runtime/metrics names to the names client_golang exposes for
// them. Both runtime metrics exist in Go 1.23 and later (and since 1.16/1.17).
var runtimeSamples = []struct{ runtime, name, help string }{
	{"/sched/goroutines:goroutines", "go_goroutines", "Number of goroutines that currently exist."},
	// client_golang derives go_memstats_heap_alloc_bytes from this runtime metric too;
	// unlike runtime.ReadMemStats, metrics.Read does not stop the world.
	{"/memory/classes/heap/objects:bytes", "go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and still in use."},
}

// writeRuntimeMetrics writes the gauges above and process_cpu_seconds_total.
func writeRuntimeMetrics(w io.Writer) {
	samples := make([]metrics.Sample, len(runtimeSamples))
	for i, s := range runtimeSamples {
		samples[i].Name = s.runtime
	}
	metrics.Read(samples)
	for i, s := range runtimeSamples {
		var v float64
		switch samples[i].Value.Kind() {
		case metrics.KindUint64:
			v = float64(samples[i].Value.Uint64())
		case metrics.KindFloat64:
			v = samples[i].Value.Float64()
		default:
			continue // not supported by this Go version: leave the metric out
		}
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", s.name, s.help, s.name, s.name, formatFloat(v))
	}
	// getrusage(RUSAGE_SELF): user + system CPU time of the whole process, what
	// client_golang reports as process_cpu_seconds_total (it reads /proc/self/stat).
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		cpu := float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
		fmt.Fprintln(w, "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.")
		fmt.Fprintln(w, "# TYPE process_cpu_seconds_total counter")
		fmt.Fprintf(w, "process_cpu_seconds_total %s\n", formatFloat(cpu))
	}
}

// formatFloat writes the shortest representation that parses back to v.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// escapeLabelValue escapes a label value for the text format: backslash, double
// quote and line feed are the only characters that need it.
func escapeLabelValue(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}
