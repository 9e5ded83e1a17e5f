package e2e_test

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMLetsSlowStreamsFinish: two billed-hours exports (as many as
// one user may run at once) are being streamed to clients that read slowly
// when portald gets SIGTERM. New connections are refused at once, the two
// streams still deliver every row with no error line, and portald then
// exits 0.
func TestSIGTERMLetsSlowStreamsFinish(t *testing.T) {
	// 30,000 rows (about 10 MB) is more than the socket buffers hold, so a
	// client that stops reading keeps its stream's handler waiting.
	db := demoDB(t, "--billing-items", "30000")
	d := startDaemon(t, db)
	chloe := newClient(d.URL, mintToken(t, db, "chloe"), newTransport())

	open := func() (*http.Response, *bufio.Reader) {
		t.Helper()
		req, _ := http.NewRequest("GET", d.URL+"/v1/end-client/billed-hours", nil)
		req.Header.Set("Authorization", "Bearer "+chloe.token)
		req.Header.Set("Accept", "application/x-ndjson")
		resp, err := chloe.http.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("billed-hours stream: %v %v", resp, err)
		}
		return resp, bufio.NewReader(resp.Body)
	}
	// rest reads a stream to its end: rows, and whether it ended with an
	// error line (a cut stream).
	rest := func(r *bufio.Reader) (rows int, errLine string) {
		for {
			line, err := r.ReadString('\n')
			if strings.HasPrefix(line, `{"error"`) {
				errLine = line
			} else if line != "" {
				rows++
			}
			if err != nil {
				return rows, errLine
			}
		}
	}
	resp, r := open()
	want, errLine := rest(r)
	resp.Body.Close()
	if want < 30000 || errLine != "" {
		t.Fatalf("a full stream before shutdown: %d rows, %q", want, errLine)
	}

	type stream struct {
		resp *http.Response
		r    *bufio.Reader
	}
	var slow []stream
	for range 2 {
		resp, r := open()
		defer resp.Body.Close()
		if _, err := r.ReadString('\n'); err != nil { // the stream has begun
			t.Fatal(err)
		}
		slow = append(slow, stream{resp, r})
	}

	start := time.Now()
	d.cmd.Process.Signal(syscall.SIGTERM)
	addr := strings.TrimPrefix(d.URL, "http://")
	refused := false
	for deadline := time.Now().Add(10 * time.Second); !refused && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			refused = true
		} else {
			c.Close()
		}
	}
	if !refused {
		t.Fatal("portald still accepts connections 10 s after SIGTERM")
	}
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	if resp, err := fresh.Get(d.URL + "/healthz"); err == nil {
		resp.Body.Close()
		t.Fatalf("a new request after SIGTERM got %s, want the connection refused", resp.Status)
	}
	select {
	case <-d.exited:
		t.Fatalf("portald exited before its in-flight streams were read: %v\n%s", d.err, d.logs)
	default:
	}

	for i, s := range slow {
		rows, errLine := rest(s.r)
		if rows+1 != want || errLine != "" {
			t.Errorf("stream %d after SIGTERM: %d rows (want %d), error line %q", i, rows+1, want, errLine)
		}
	}
	if code := d.wait(); code != 0 {
		t.Errorf("portald exit %d after SIGTERM, want 0\n%s", code, d.logs)
	}
	t.Logf("SIGTERM: 2 streams of %d billed-hours rows in flight; new connections refused; the streams completed and portald exited 0 %s after the signal",
		want, time.Since(start).Round(time.Millisecond))
}
