package client

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// FuzzStreamReader serves random bodies as NDJSON answers (ended properly,
// or with the connection cut after them when abort is set) and reads them
// with BilledHoursStream. Properties: it never panics; a cut connection or a
// body not ending in "\n" is always reported as an error, never as a
// complete export; without an error every non-blank line became one row;
// no row follows an error. Seeds: testdata/fuzz/FuzzStreamReader and below.
func FuzzStreamReader(f *testing.F) {
	for _, seed := range []struct {
		body  string
		abort bool
	}{
		{"", false},
		{"\n\n", false},
		{`{"id":1,"worked_date":"2026-01-02","hours_worked":1.50}` + "\n", true},
		{"{\"id\":1}\n{\"id\":2}", false},
		{"{\"id\":1}\r\n{\"id\":2}\r\n", false},
		{"null\n", false},
		{"[1]\n", false},
		{"{\"error\":{\"code\":\"internal\",\"message\":\"boom\"}}", false},
	} {
		f.Add([]byte(seed.body), seed.abort)
	}
	var (
		bodies sync.Map // request key → body to serve
		next   atomic.Int64
	)
	// The server listens in memory: tens of thousands of cut connections
	// would otherwise exhaust the loopback ports and stall the fuzzer.
	ln := newPipeListener()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := bodies.Load(r.URL.Query().Get("from"))
		s, _ := v.(served)
		w.Header().Set("Content-Type", "application/x-ndjson")
		_, _ = w.Write(s.body)
		w.(http.Flusher).Flush()
		if s.abort {
			panic(http.ErrAbortHandler) // cut the connection: no end of the chunked body
		}
	}))
	srv.Listener = ln
	srv.Start()
	f.Cleanup(srv.Close)
	// One client for every input, so connections are reused, not leaked.
	c, err := New(Options{BaseURL: srv.URL, Token: "secret-token", Retries: 2, Transport: &http.Transport{DialContext: ln.dial},
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, abort bool) {
		key := strconv.FormatInt(next.Add(1), 10)
		bodies.Store(key, served{body, abort})
		defer bodies.Delete(key)
		rows := 0
		var err error
		for _, rowErr := range c.BilledHoursStream(context.Background(), BilledHoursQuery{From: api.Date(key)}) {
			if err != nil {
				t.Fatalf("a row came after the error %v", err)
			}
			if rowErr != nil {
				err = rowErr
				continue
			}
			rows++
		}
		cut := abort || len(body) > 0 && body[len(body)-1] != '\n'
		if cut && err == nil {
			t.Fatalf("a cut stream (abort=%v) was read as complete: %d rows from %q", abort, rows, body)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if want := nonBlankLines(body); rows != want {
			t.Fatalf("%d rows from %d lines of %q", rows, want, body)
		}
	})
}

type served struct {
	body  []byte
	abort bool
}

func nonBlankLines(body []byte) int {
	n := 0
	for line := range bytes.Lines(body) {
		if len(bytes.TrimSpace(line)) > 0 {
			n++
		}
	}
	return n
}

// pipeListener is a net.Listener whose connections are in-memory pipes,
// dialled with its dial method.
type pipeListener struct {
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "127.0.0.1:80" }
