// Command noopserver is the baseline of the producer's HTTP benchmark
// (scripts/bench.sh): a net/http server that answers every request with a
// fixed 201 JSON body, so the producer's rate can be read as a fraction of
// what this machine's HTTP stack does at all.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5089", "listen address")
	flag.Parse()
	body := []byte(`{"message":"Value added to Redis queue","value":1}` + "\n")
	srv := &http.Server{
		Addr: *addr,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(body)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Fatal(srv.ListenAndServe())
}
