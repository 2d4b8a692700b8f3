package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestRecordHitConcurrent calls recordHit from several goroutines at once, as
// concurrent requests to GET /hit do. Plain `go test` passes (lost updates depend
// on timing, so the count is only bounded); `go test -race` fails with a DATA RACE
// report in (*stats).recordHit.
func TestRecordHitConcurrent(t *testing.T) {
	const workers, perWorker = 8, 1000
	st := &stats{}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				st.recordHit(1)
			}
		}()
	}
	wg.Wait()
	if got := st.recordHit(0) - 1; got < 1 || got > workers*perWorker {
		t.Fatalf("hits = %d, want between 1 and %d", got, workers*perWorker)
	}
}

// TestChecksumKnownValues pins slowChecksum's results so a faster algorithm must
// return exactly the same numbers.
func TestChecksumKnownValues(t *testing.T) {
	cases := map[int]uint64{
		0:    0,
		1:    3,   // prefix hashes: 3
		2:    106, // 3 + (3*31 + 10)
		10:   91282305887070,
		3000: 3494657656875639108,
	}
	for n, want := range cases {
		if got := slowChecksum(makePayload(n)); got != want {
			t.Errorf("checksum of %d bytes = %d, want %d", n, got, want)
		}
	}
}

func get(t *testing.T, srv *httptest.Server, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// TestRoutes checks each route answers the way a client expects.
func TestRoutes(t *testing.T) {
	srv := httptest.NewServer(newMux())
	defer srv.Close()
	cases := []struct {
		path       string
		wantStatus int
		wantPrefix string
	}{
		{"/healthz", 200, "ok"},
		{"/checksum?n=10", 200, "checksum=91282305887070"},
		{"/checksum?n=-1", 400, "n must be"},
		{"/hit", 200, "hits=1"},
		{"/export", 200, "id,name"},
		{"/user/debug/pprof/goroutine?debug=1", 200, "goroutine profile: total"},
		{"/user/debug/pprof/heap?debug=1", 200, "heap profile:"},
	}
	for _, c := range cases {
		status, body := get(t, srv, c.path)
		if status != c.wantStatus || !strings.HasPrefix(body, c.wantPrefix) {
			t.Errorf("GET %s = %d %q, want %d and a body starting %q", c.path, status, body, c.wantStatus, c.wantPrefix)
		}
	}
}
