package httpapi

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// asUser is a request as authenticate leaves it: the user in its info.
func asUser(r *http.Request, contactID int64) *http.Request {
	info := &requestInfo{id: "test", user: &portal.User{Contact: store.Contact{ID: contactID}}}
	return r.WithContext(context.WithValue(r.Context(), keyInfo, info))
}

// TestHeavyRequestsPerUser: a user runs at most StreamsPerUser NDJSON
// streams and DownloadsPerUser downloads at once; past that they get 429
// with Retry-After. Pages of the same routes, and other users, are not
// held back; admitted requests run marked store.Streaming.
func TestHeavyRequestsPerUser(t *testing.T) {
	h := &handler{log: slog.New(slog.NewTextHandler(io.Discard, nil)), opt: Options{StreamsPerUser: 2, DownloadsPerUser: 1},
		streams: newUserSlots(), downloads: newUserSlots()}
	release := make(chan struct{})
	var inside sync.WaitGroup
	var mu sync.Mutex
	marked := map[string]bool{}
	block := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		marked[r.Header.Get("X-Name")] = store.IsStreaming(r.Context())
		mu.Unlock()
		inside.Done()
		<-release
	})
	streams, downloads := h.heavy(streamRoute, block), h.heavy(downloadRoute, block)
	send := func(hd http.Handler, name string, user int64, accept string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/x", nil)
		r.Header.Set("Accept", accept)
		r.Header.Set("X-Name", name)
		rec := httptest.NewRecorder()
		hd.ServeHTTP(rec, asUser(r, user))
		return rec
	}
	var done sync.WaitGroup
	admit := func(hd http.Handler, name string, user int64, accept string) {
		inside.Add(1)
		done.Go(func() {
			if rec := send(hd, name, user, accept); rec.Code != 200 {
				t.Errorf("%s: %d %s", name, rec.Code, rec.Body)
			}
		})
	}
	admit(streams, "stream 1", 7, ndjson)
	admit(streams, "stream 2", 7, ndjson)
	admit(downloads, "download 1", 7, "")
	admit(streams, "another user's stream", 8, ndjson)
	admit(streams, "a page", 7, "application/json")
	inside.Wait()
	for _, tt := range []struct {
		hd   http.Handler
		name string
	}{{streams, "a third stream"}, {downloads, "a second download"}} {
		rec := send(tt.hd, tt.name, 7, ndjson)
		if rec.Code != 429 || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), api.CodeRateLimited) {
			t.Errorf("%s: %d Retry-After %q %s, want 429 with Retry-After", tt.name, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
		}
	}
	close(release)
	done.Wait()
	for name, want := range map[string]bool{"stream 1": true, "download 1": true, "another user's stream": true, "a page": false} {
		if marked[name] != want {
			t.Errorf("%s ran marked store.Streaming: %v, want %v", name, marked[name], want)
		}
	}
	release = make(chan struct{})
	close(release)
	inside.Add(1)
	if rec := send(streams, "a stream once the others ended", 7, ndjson); rec.Code != 200 {
		t.Errorf("a stream after the others ended: %d", rec.Code)
	}
}

// pacedStream serves an NDJSON stream of about 15 MB (more than every
// socket buffer between server and client) with the floor rate and stall
// given; ended reports when the handler returns.
func pacedStream(t *testing.T, rate int, stall time.Duration) (url string, ended chan time.Time) {
	t.Helper()
	rows := billedRows(40000)
	h := &handler{log: slog.New(slog.NewTextHandler(io.Discard, nil)), opt: Options{StreamMinRate: rate, StreamStall: stall}}
	ended = make(chan time.Time, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { ended <- time.Now() }()
		streamRows(h, w, r, yieldAll(rows, nil), api.BilledHoursRow.AppendJSON)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, ended
}

// slowClient sends GET url on a connection with a 4 KiB receive buffer
// and returns it once the answer has started.
func slowClient(t *testing.T, url string) (net.Conn, *bufio.Reader) {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	host := strings.TrimPrefix(url, "http://")
	conn, err := d.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", host)
	br := bufio.NewReaderSize(conn, 4096)
	if line, err := br.ReadString('\n'); err != nil || !strings.Contains(line, "200") {
		t.Fatalf("status line %q %v", line, err)
	}
	return conn, br
}

// TestStreamCutsSlowReaders: a client that stops reading a stream is cut
// once its stall allowance is spent, and one that reads slower than the
// floor rate once its credit is; the handler (and the store's connection
// behind it) is then free. A client that keeps up gets every row.
func TestStreamCutsSlowReaders(t *testing.T) {
	const rate, stall = 256 << 10, 300 * time.Millisecond
	t.Run("stops reading", func(t *testing.T) {
		url, ended := pacedStream(t, rate, stall)
		slowClient(t, url)
		select {
		case <-ended:
		case <-time.After(10 * time.Second):
			t.Fatal("a stream nobody reads still runs after 10 s")
		}
	})
	t.Run("reads at a sixth of the floor", func(t *testing.T) {
		url, ended := pacedStream(t, rate, stall)
		_, br := slowClient(t, url)
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			buf := make([]byte, 4096)
			for {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond): // 40 KiB/s
				}
				if _, err := br.Read(buf); err != nil {
					return
				}
			}
		}()
		select {
		case <-ended:
		case <-time.After(20 * time.Second):
			t.Fatal("a stream read at 40 KiB/s, under the 256 KiB/s floor, still runs after 20 s")
		}
	})
	t.Run("keeps up", func(t *testing.T) {
		// The production floor: a test machine under load must not look
		// like a slow client.
		url, _ := pacedStream(t, defaultStreamMinRate, defaultStreamStall)
		status, _, body := get(t, url)
		if status != 200 || strings.Count(body, "\n") != 40000 || strings.Contains(body, `"error"`) {
			t.Fatalf("a client that keeps up: %d, %d lines", status, strings.Count(body, "\n"))
		}
	})
}
