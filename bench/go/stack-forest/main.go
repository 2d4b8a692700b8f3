// Command stack-forest writes a large heap profile (runtime/pprof, allocs) with very
// many distinct deep stacks, like a service whose recursive request handling (a parser,
// a tree walk, middleware chains) allocates from countless call paths. Each path is a
// random walk through main.walk's 16 call sites, up to the 128-frame profile depth;
// MemProfileRate=1 records every allocation, so each path is its own sample.
//
//	stack-forest -out profile.pb.gz -paths 700000
package main

import (
	"flag"
	"log"
	"math/rand"
	"os"
	"runtime"
	"runtime/pprof"
)

var sink [][]byte

//go:noinline
func walk(path []byte, d int) {
	if d == len(path) {
		sink = append(sink, make([]byte, 16))
		return
	}
	switch path[d] & 15 {
	case 0:
		walk(path, d+1)
	case 1:
		walk(path, d+1)
	case 2:
		walk(path, d+1)
	case 3:
		walk(path, d+1)
	case 4:
		walk(path, d+1)
	case 5:
		walk(path, d+1)
	case 6:
		walk(path, d+1)
	case 7:
		walk(path, d+1)
	case 8:
		walk(path, d+1)
	case 9:
		walk(path, d+1)
	case 10:
		walk(path, d+1)
	case 11:
		walk(path, d+1)
	case 12:
		walk(path, d+1)
	case 13:
		walk(path, d+1)
	case 14:
		walk(path, d+1)
	case 15:
		walk(path, d+1)
	}
}

func main() {
	runtime.MemProfileRate = 1
	out := flag.String("out", "forest.pb.gz", "where to write the allocs profile")
	paths := flag.Int("paths", 700000, "distinct call paths")
	depth := flag.Int("depth", 110, "frames per path")
	flag.Parse()
	r := rand.New(rand.NewSource(1))
	path := make([]byte, *depth)
	for i := 0; i < *paths; i++ {
		r.Read(path)
		walk(path, 0)
		if len(sink) > 1024 {
			sink = sink[:0]
		}
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
