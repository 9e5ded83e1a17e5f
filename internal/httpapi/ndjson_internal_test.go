package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// serveStream serves streamRows over real HTTP with fetch as the store.
func serveStream[T any](t *testing.T, fetch func(store.Page, func(T) error) error, appendJSON appendJSONFunc[T]) *httptest.Server {
	h := &handler{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		streamRows(h, w, r, fetch, appendJSON)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

// encoderLines is what a json.Encoder without HTML escaping writes for rows:
// what the stream wrote before it had its own encoder.
func encoderLines[T any](rows []T) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		enc.Encode(r)
	}
	return b.String()
}

// billedRows are rows long enough that a stream of them spans many
// batches and writes, with strings that need escaping.
func billedRows(n int) []api.BilledHoursRow {
	rows := make([]api.BilledHoursRow, n)
	task, project := "T <1> & \"2\"\t☃", "P1"
	at := time.Date(2026, 2, 4, 1, 30, 0, 0, time.UTC)
	rate := api.Decimal(-15050)
	for i := range rows {
		rows[i] = api.BilledHoursRow{ID: int64(i), ClientName: "Tailspin <Dental> & \u2028 co", ProjectNumber: &project,
			TaskNumber: &task, WorkedDate: "2026-02-03", HoursBilled: api.Decimal(i), Rate: &rate,
			Description: strings.Repeat("x\n", i%300), BilledAt: &at}
	}
	return rows
}

func yieldAll[T any](rows []T, then error) func(store.Page, func(T) error) error {
	return func(_ store.Page, each func(T) error) error {
		for _, r := range rows {
			if err := each(r); err != nil {
				return err
			}
		}
		return then
	}
}

func TestStreamRows(t *testing.T) {
	rows := billedRows(3000)
	errorLine := func(code, message string) string {
		b, _ := json.Marshal(api.ErrorBody{Error: &api.Error{Code: code, Message: message}})
		return string(b) + "\n"
	}
	tests := []struct {
		name       string
		fetch      func(store.Page, func(api.BilledHoursRow) error) error
		appendJSON appendJSONFunc[api.BilledHoursRow]
		status     int
		body       string
	}{
		{"every row, own encoder", yieldAll(rows, nil), api.BilledHoursRow.AppendJSON, 200, encoderLines(rows)},
		{"every row, encoding/json", yieldAll(rows, nil), nil, 200, encoderLines(rows)},
		{"no rows", yieldAll[api.BilledHoursRow](nil, nil), api.BilledHoursRow.AppendJSON, 200, ""},
		{"an error before the first row keeps its status", yieldAll[api.BilledHoursRow](nil, api.Invalid("from", "from: bad")),
			api.BilledHoursRow.AppendJSON, 400, ""},
		{"an API error after rows is the last line", yieldAll(rows[:700], api.Errorf(api.CodeUnavailable, "store down; retry")),
			api.BilledHoursRow.AppendJSON, 200, encoderLines(rows[:700]) + errorLine(api.CodeUnavailable, "store down; retry")},
		{"another error after rows is an internal error line", yieldAll(rows[:5], errors.New("disk on fire")),
			api.BilledHoursRow.AppendJSON, 200, encoderLines(rows[:5]) +
				errorLine(api.CodeInternal, "the stream failed after 5 rows; retry (request id )")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, ctype, body := get(t, serveStream(t, tt.fetch, tt.appendJSON).URL)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if status != 200 {
				if !strings.Contains(body, `"code":"invalid_request"`) || !strings.HasPrefix(ctype, "application/json") {
					t.Fatalf("want a JSON error response, got %s %s", ctype, body)
				}
				return
			}
			if ctype != ndjson {
				t.Errorf("Content-Type %q", ctype)
			}
			if body != tt.body {
				t.Fatalf("body differs (%d bytes, want %d)\n got tail %q\nwant tail %q", len(body), len(tt.body), tail(body), tail(tt.body))
			}
		})
	}
}

func tail(s string) string { return s[max(0, len(s)-300):] }

// A row that cannot be encoded ends the stream after the rows before it,
// with an error line, and stops the fetch (which reads a few batches
// ahead at most).
func TestStreamRowsUnencodableRow(t *testing.T) {
	rows := billedRows(20 * ndjsonBatchRows * ndjsonBatches)
	late := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	rows[1300].BilledAt = &late
	var fetchErr error
	fetch := func(p store.Page, each func(api.BilledHoursRow) error) error {
		fetchErr = yieldAll(rows, nil)(p, each)
		return fetchErr
	}
	_, _, body := get(t, serveStream(t, fetch, api.BilledHoursRow.AppendJSON).URL)
	want := encoderLines(rows[:1300])
	if !strings.HasPrefix(body, want) {
		t.Fatalf("the rows before the bad one are missing")
	}
	last := strings.TrimPrefix(body, want)
	if !strings.Contains(last, `"code":"internal"`) || !strings.Contains(last, "after 1300 rows") || strings.Count(last, "\n") != 1 {
		t.Fatalf("want one error line after 1300 rows, got %q", last)
	}
	if fetchErr == nil {
		t.Error("the fetch was not stopped")
	}
}

// A client that goes away stops the fetch (it would otherwise read the
// whole export for nobody).
func TestStreamRowsClientGone(t *testing.T) {
	stopped := make(chan error, 1)
	fetch := func(_ store.Page, each func(api.BilledHoursRow) error) error {
		row := billedRows(300)[299]
		for {
			if err := each(row); err != nil {
				stopped <- err
				return err
			}
		}
	}
	resp, err := http.Get(serveStream(t, fetch, api.BilledHoursRow.AppendJSON).URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case err := <-stopped:
		if err == nil {
			t.Fatal("stopped without an error")
		}
	case <-time.After(time.Minute):
		t.Fatal("the fetch went on after the client left")
	}
}
