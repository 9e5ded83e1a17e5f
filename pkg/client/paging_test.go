package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/pkg/api"
)

// pagedServer serves 5 projects in pages of at most 2, honouring limit.
func pagedServer(t *testing.T, limits *[]string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*limits = append(*limits, r.URL.Query().Get("limit"))
		start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		size, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		size = min(size, 2)
		page := api.List[api.Project]{Items: []api.Project{}}
		for i := start; i < start+size && i < 5; i++ {
			page.Items = append(page.Items, api.Project{ID: int64(i + 1)})
		}
		if start+size < 5 {
			next := strconv.Itoa(start + size)
			page.NextCursor = &next
		}
		_ = json.NewEncoder(w).Encode(page)
	}))
}

func TestPagingFollowsCursorUpToLimit(t *testing.T) {
	tests := []struct {
		limit      int
		wantIDs    []int64
		wantLimits []string
	}{
		{0, []int64{1, 2, 3, 4, 5}, []string{"500", "500", "500"}},
		{3, []int64{1, 2, 3}, []string{"3", "1"}},
		{1, []int64{1}, []string{"1"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("limit ", tt.limit), func(t *testing.T) {
			var limits []string
			srv := pagedServer(t, &limits)
			defer srv.Close()
			got, err := Collect(newTestClient(t, srv.URL).Projects(context.Background(), ProjectsQuery{}, tt.limit))
			require.NoError(t, err)
			var ids []int64
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			assert.Equal(t, tt.wantIDs, ids)
			assert.Equal(t, tt.wantLimits, limits)
		})
	}
}

func TestCollectEmptyIsNotNil(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "own", r.URL.Query().Get("org"))
		assert.Equal(t, "true", r.URL.Query().Get("include_completed"))
		assert.Equal(t, "web site", r.URL.Query().Get("q"))
		_, _ = w.Write([]byte(`{"items":[],"next_cursor":null}`))
	}))
	defer srv.Close()
	got, err := Collect(newTestClient(t, srv.URL).Projects(context.Background(),
		ProjectsQuery{Org: "own", IncludeCompleted: true, Search: "web site"}, 0))
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)
}

// streamServer writes body as an NDJSON answer; abort cuts the connection
// after it instead of ending the response properly.
func streamServer(body string, abort bool) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") != "application/x-ndjson" {
			http.Error(w, "want ndjson", http.StatusNotAcceptable)
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		_, _ = w.Write([]byte(body))
		w.(http.Flusher).Flush()
		if abort {
			panic(http.ErrAbortHandler)
		}
	}))
}

func TestStream(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		abort    bool
		wantIDs  []int64
		wantErr  error  // errors.Is target
		wantCode string // api error code
	}{
		{name: "complete stream", body: "{\"id\":1}\n{\"id\":2}\n\n{\"id\":3}\n", wantIDs: []int64{1, 2, 3}},
		{name: "empty stream", body: "", wantIDs: nil},
		{name: "error line ends the stream", body: "{\"id\":1}\n{\"error\":{\"code\":\"unavailable\",\"message\":\"store went away\"}}\n",
			wantIDs: []int64{1}, wantCode: api.CodeUnavailable},
		{name: "connection cut mid-line", body: "{\"id\":1}\n{\"id\":", abort: true, wantIDs: []int64{1}, wantErr: ErrStreamCut},
		{name: "connection cut between lines", body: "{\"id\":1}\n", abort: true, wantIDs: []int64{1}, wantErr: ErrStreamCut},
		{name: "last line without newline", body: "{\"id\":1}\n{\"id\":2}", wantIDs: []int64{1}, wantErr: ErrStreamCut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := streamServer(tt.body, tt.abort)
			defer srv.Close()
			var ids []int64
			var err error
			for row, rowErr := range newTestClient(t, srv.URL).BilledHoursStream(context.Background(), BilledHoursQuery{From: "2026-01-01"}) {
				if rowErr != nil {
					err = rowErr
					break
				}
				ids = append(ids, row.ID)
			}
			assert.Equal(t, tt.wantIDs, ids)
			switch {
			case tt.wantErr != nil:
				assert.ErrorIs(t, err, tt.wantErr)
			case tt.wantCode != "":
				assert.Equal(t, tt.wantCode, api.ErrorCode(err))
				assert.ErrorContains(t, err, "store went away")
			default:
				assert.NoError(t, err)
			}
		})
	}
}

// A stream that fails before it starts is an ordinary API error, retried like any GET.
func TestStreamRetriesBeforeFirstByte(t *testing.T) {
	attempts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts++
		if attempts == 1 {
			writeError(w, 503, api.CodeUnavailable)
			return
		}
		_, _ = w.Write([]byte("{\"id\":9}\n"))
	}))
	defer srv.Close()
	rows, err := Collect(newTestClient(t, srv.URL).ProjectsStream(context.Background(), ProjectsQuery{}))
	require.NoError(t, err)
	assert.Equal(t, []api.Project{{ID: 9}}, rows)
	assert.Equal(t, 2, attempts)
}
