package main

import "testing"

// BenchmarkSlowChecksum measures the checksum of one default-sized request body, so a
// CPU profile taken from the benchmark (go test -bench -cpuprofile) shows the same
// hotspot as a profile of the running service: main.slowChecksum.
//
// SetBytes makes `go test` print MB/s beside ns/op, which makes the before/after
// comparison of the fix readable as throughput.
func BenchmarkSlowChecksum(b *testing.B) {
	data := makePayload(defaultChecksumN)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	var sink uint64
	for i := 0; i < b.N; i++ {
		sink += slowChecksum(data)
	}
	// Keeps the compiler from discarding the calls as dead code.
	if sink == 1 {
		b.Log(sink)
	}
}

// payloadSink makes each payload escape to the heap, as a request body does in the
// service; without it the compiler keeps the constant-size buffer on the stack.
var payloadSink []byte

// BenchmarkMakePayload is the cheap half of a /checksum request, for contrast: its
// allocation shows up in the memory profile (B/op, allocs/op), slowChecksum's does not.
func BenchmarkMakePayload(b *testing.B) {
	for i := 0; i < b.N; i++ {
		payloadSink = makePayload(defaultChecksumN)
	}
}
