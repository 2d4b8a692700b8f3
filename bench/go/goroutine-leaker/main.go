// Command goroutine-leaker leaks goroutines in a few places the way services do, then
// writes a debug=2-style dump of all of them (runtime.Stack(buf, true), the format of
// /debug/pprof/goroutine?debug=2) to -out and exits: the input of gotriage's
// goroutines.group.* benchmarks. It opens no socket.
//
// Leak sites (shares of -goroutines):
//   - 60% main.renderExport: send on a channel nobody reads (chan send), 4 frames deep
//   - 25% main.(*pool).worker: select on channels never closed (select), 8 frames deep
//   - 10% main.(*cache).refresh: a mutex held forever (sync.Mutex.Lock)
//   - 5%  main.waitForConfig: receive from a nil-free never-closed channel (chan receive)
package main

import (
	"flag"
	"log"
	"os"
	"runtime"
	"strconv"
	"sync"
)

type cache struct {
	mu      sync.Mutex
	entries map[string]string
}

func (c *cache) refresh(key string, ready *sync.WaitGroup) {
	ready.Done()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = "fresh"
}

//go:noinline
func renderExport(id int, out chan<- []byte, ready *sync.WaitGroup) {
	buf := []byte(strconv.Itoa(id))
	ready.Done()
	out <- buf
}

//go:noinline
func exportHandler(n int, out chan<- []byte, ready *sync.WaitGroup) {
	for i := 0; i < n; i++ {
		go renderExport(i, out, ready)
	}
}

type pool struct {
	jobs, quit chan int
}

// worker parks depth frames deep in a select, like a handler chain waiting on a job.
//
//go:noinline
func (p *pool) worker(depth int, ready *sync.WaitGroup) int {
	if depth > 0 {
		return p.worker(depth-1, ready) + 1
	}
	ready.Done()
	select {
	case j := <-p.jobs:
		return j
	case <-p.quit:
		return 0
	}
}

func waitForConfig(ch <-chan string, ready *sync.WaitGroup) {
	ready.Done()
	<-ch
}

func main() {
	out := flag.String("out", "", "file to write the dump to")
	total := flag.Int("goroutines", 200_000, "goroutines to leak")
	flag.Parse()
	if *out == "" {
		log.Fatal("-out is required")
	}
	var ready sync.WaitGroup
	ready.Add(*total)
	exports := make(chan []byte)
	exportHandler(*total*60/100, exports, &ready)
	p := &pool{jobs: make(chan int), quit: make(chan int)}
	workers := *total * 25 / 100
	for i := 0; i < workers; i++ {
		go p.worker(6, &ready)
	}
	c := &cache{entries: map[string]string{}}
	c.mu.Lock()
	locked := *total * 10 / 100
	for i := 0; i < locked; i++ {
		go c.refresh(strconv.Itoa(i), &ready)
	}
	config := make(chan string)
	for i := exportsAndOthers(*total, workers, locked); i < *total; i++ {
		go waitForConfig(config, &ready)
	}
	ready.Wait()
	runtime.Gosched()

	// runtime.Stack needs a buffer large enough for every goroutine; grow until it fits.
	buf := make([]byte, 64<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	if err := os.WriteFile(*out, buf, 0o644); err != nil {
		log.Fatal(err)
	}
}

func exportsAndOthers(total, workers, locked int) int {
	return total*60/100 + workers + locked
}
