package httpapi_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"
)

// BenchmarkProjectsPage is what bench/list.sh loads with wrk: the first page
// of GET /v1/projects for ava, who sees 10,000 projects, served the way
// `portald serve --rate-limit 0 --log-level error` serves it. "handler"
// calls the handler directly (no sockets: the CPU portald spends on top of
// Go's HTTP server); "loopback" goes through a real server and client.
func BenchmarkProjectsPage(b *testing.B) {
	h, tok := demoServer(b, dataset.DemoOptions{Projects: 10000}, "ava")
	req := func(url string) *http.Request {
		r, _ := http.NewRequest("GET", url+"/v1/projects", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		return r
	}

	b.Run("handler", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req("http://portal.test"))
				if w.Code != 200 {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	})
	b.Run("loopback", func(b *testing.B) {
		srv := httptest.NewServer(h)
		defer srv.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		b.ReportAllocs()
		defer reportCPU(b)()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				res, err := client.Do(req(srv.URL))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	})
}

// demoServer imports the demo data with opt into SQLite and returns the
// handler as `portald serve --rate-limit 0 --log-level error` serves it,
// and a token of username's.
func demoServer(b *testing.B, opt dataset.DemoOptions, username string) (http.Handler, string) {
	ctx := context.Background()
	var data bytes.Buffer
	if err := dataset.WriteDemo(&data, opt); err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := dataset.Import(ctx, &data, db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
		b.Fatal(err)
	}
	svc := portal.New(db.Stores(), portal.Options{})
	tok, err := svc.CreateToken(ctx, username, "bench", time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError}))
	return httpapi.New(svc, db, httpapi.Options{Logger: logger, TokenRate: rate.Inf}), tok.Token
}

// reportCPU reports the process's CPU time (user + system, every thread:
// GC included) per operation, which a busy machine disturbs less than wall
// time. Call as defer reportCPU(b)().
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op") }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
