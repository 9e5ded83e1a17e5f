package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStreamStallIsAnError: a stream whose server goes silent, before or
// after the answer starts, ends with a timeout error instead of hanging,
// while a slow reader on our side is not mistaken for a silent server.
func TestStreamStallIsAnError(t *testing.T) {
	const timeout = 200 * time.Millisecond
	tests := []struct {
		name      string
		rows      string // sent at once
		stall     bool   // then the server says nothing more
		readPause time.Duration
		wantIDs   []int64
		wantErr   string
	}{
		{name: "silent before the answer", stall: true,
			wantErr: "GET /v1/end-client/billed-hours: no answer from"},
		{name: "silent after the first row", rows: "{\"id\":1}\n", stall: true, wantIDs: []int64{1},
			wantErr: "GET /v1/end-client/billed-hours: the server sent nothing for 200ms; the answer is incomplete"},
		{name: "slow reader, prompt server", rows: "{\"id\":1}\n{\"id\":2}\n", readPause: 2 * timeout, wantIDs: []int64{1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.rows != "" {
					w.Write([]byte(tt.rows))
					w.(http.Flusher).Flush()
				}
				if tt.stall {
					<-r.Context().Done()
				}
			}))
			t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
			c := newTestClient(t, srv.URL, func(o *Options) { o.Timeout = timeout })
			var ids []int64
			var err error
			for row, rowErr := range c.BilledHoursStream(context.Background(), BilledHoursQuery{}) {
				if rowErr != nil {
					err = rowErr
					break
				}
				ids = append(ids, row.ID)
				time.Sleep(tt.readPause)
			}
			assert.Equal(t, tt.wantIDs, ids)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}
