package client

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/pkg/api"
)

// reusedTicket is one decoder for every test line, as a stream uses one.
var reusedTicket = newEndClientTicketDecoder()

// decodeTicketBoth decodes line the way `endclient tickets --all` does
// (fast path, then encoding/json) and with encoding/json alone.
func decodeTicketBoth(line []byte) (got, want api.EndClientTicket, gotErr, wantErr error) {
	gotErr = decodeLine(line, 200, reusedTicket, &got)
	wantErr = json.Unmarshal(line, &want)
	return got, want, gotErr, wantErr
}

// demoTickets are tickets as portald serves them: every optional field set
// on some and null on others, accents in names.
func demoTickets(n int) []api.EndClientTicket {
	statuses := []string{"new", "in_progress", "on_hold", "complete"}
	people := []string{"Priya Nair", "José Álvarez"}
	out := make([]api.EndClientTicket, n)
	for i := range out {
		created := time.Date(2025, time.Month(1+i%12), 1+i%28, 15, 0, 0, 0, time.UTC)
		t := api.EndClientTicket{ID: int64(200000 + i), Number: fmt.Sprintf("T2025%02d%02d.%05d", 1+i%12, 1+i%28, i),
			Title: fmt.Sprintf("Synthetic ticket %d", i), Status: statuses[i%len(statuses)], OrganizationID: 300,
			OrganizationName: "Tailspin Dental", Queue: "Service Desk", Category: "Hardware", CreatedAt: created,
			BilledHours: api.Decimal(25 * (1 + i%32))}
		if i%2 == 0 {
			due, prio, contract := created.AddDate(0, 0, 3), "high", int64(503)
			t.DueAt, t.Priority, t.ContractID, t.AssignedResource = &due, &prio, &contract, &people[i/2%2]
		}
		if t.Status == "complete" {
			done := created.Add(26*time.Hour + 123*time.Millisecond)
			t.CompletedAt = &done
		}
		out[i] = t
	}
	return out
}

// Lines the fast path must decode exactly like encoding/json, including
// every line it has to hand over.
var ticketLines = []string{
	`{}`, `{"id":7}`, `{"id":-0,"organization_id":0,"contract_id":999999999999999}`,
	`{"id":12345678901234567890}`, `{"id":1.0}`, `{"id":"1"}`, `{"id":null}`,
	`{"number":"T20260105.0001","title":"Printer \"offline\" \\ <b>&</b>\n\ttab"}`,
	`{"title":"José Álvarez – 日本語 😀","organization_name":"\u00e9"}`,
	"{\"description\":\"bad \xff utf8 \xed\xa0\x80 surrogate\"}",
	"{\"description\":\"raw\x01control\"}",
	`{"description":"\ud800 lone \udc00","queue":"\u2028\u2029"}`,
	`{"status":null}`, `{"status":1}`, `{"title":"unterminated}`,
	`{"priority":null,"contract_id":null,"assigned_resource":null,"due_at":null,"completed_at":null}`,
	`{"priority":"high","priority":null}`, `{"priority":null,"priority":"low"}`, `{"priority":"a","priority":"b"}`,
	`{"contract_id":5,"contract_id":6}`, `{"contract_id":"5"}`,
	`{"created_at":"2025-01-01T15:00:00Z","due_at":"2025-01-04T15:00:00.5-05:00","completed_at":"2025-01-02T17:00:00.123456789+05:30"}`,
	`{"created_at":null}`, `{"created_at":"2025-01-01T15:00:00Z","created_at":null}`,
	`{"created_at":"2025-13-01T15:00:00Z"}`, `{"due_at":"yesterday"}`, `{"completed_at":1}`,
	`{"created_at":"2025-01-01T15:00:00\u005a"}`,
	`{"billed_hours":0.25}`, `{"billed_hours":-1.5}`, `{"billed_hours":3}`, `{"billed_hours":3.125}`,
	`{"billed_hours":"3.50"}`, `{"billed_hours":1e2}`, `{"billed_hours":null}`,
	`{"ID":7,"Title":"cased"}`, `{"id":7,"unknown":[1,{"a":2}]}`,
	`{ "id" : 7 }`, `{"id":7} `, `{"id":7}x`, `{"id":7,}`, `{"id":7`, `[1]`, `null`, ``,
}

func TestDecodeEndClientTicketMatchesEncodingJSON(t *testing.T) {
	lines := append([]string(nil), ticketLines...)
	for _, tk := range demoTickets(8) {
		b, err := tk.AppendJSON(nil)
		require.NoError(t, err)
		lines = append(lines, string(b))
	}
	for _, line := range lines {
		t.Run(line, func(t *testing.T) {
			got, want, gotErr, wantErr := decodeTicketBoth([]byte(line))
			if wantErr != nil {
				require.Error(t, gotErr, "encoding/json rejects it, so must the client")
				assert.Contains(t, gotErr.Error(), wantErr.Error())
				return
			}
			require.NoError(t, gotErr)
			assert.True(t, reflect.DeepEqual(want, got), "fast %+v\nencoding/json %+v", got, want)
		})
	}
}

// The server's own lines take the fast path (no silent fallback) and come
// back equal to the tickets sent.
func TestDecodeEndClientTicketFastPathTakesServerRows(t *testing.T) {
	for _, tk := range demoTickets(8) {
		line, err := tk.AppendJSON(nil)
		require.NoError(t, err)
		var got api.EndClientTicket
		require.True(t, reusedTicket(line, &got), "%s", line)
		assert.True(t, tk.CreatedAt.Equal(got.CreatedAt))
		want, _ := json.Marshal(tk)
		have, _ := json.Marshal(got)
		assert.JSONEq(t, string(want), string(have))
	}
}

// A decoded ticket shares nothing with the next one or the read buffer.
func TestDecodedTicketsOwnTheirValues(t *testing.T) {
	tks := demoTickets(4)
	line, _ := tks[0].AppendJSON(nil)
	var first, second api.EndClientTicket
	require.NoError(t, decodeLine(line, 200, reusedTicket, &first))
	kept, _ := json.Marshal(first)
	next, _ := tks[2].AppendJSON(nil)
	copy(line, next)
	require.NoError(t, decodeLine(next, 200, reusedTicket, &second))
	*second.Priority, *second.ContractID = "changed", -1
	now, _ := json.Marshal(first)
	assert.JSONEq(t, string(kept), string(now))
}

// EndClientTicketsStream yields the server's tickets as sent.
func TestEndClientTicketsStreamYieldsTicketsAsSent(t *testing.T) {
	tks := demoTickets(6)
	var body []byte
	for _, tk := range tks {
		body, _ = tk.AppendJSON(body)
		body = append(body, '\n')
	}
	srv := streamServer(string(body), false)
	defer srv.Close()
	var got []api.EndClientTicket
	for tk, err := range newTestClient(t, srv.URL).EndClientTicketsStream(context.Background(), EndClientProjectsQuery{}) {
		require.NoError(t, err)
		got = append(got, tk)
	}
	want, _ := json.Marshal(tks)
	have, _ := json.Marshal(got)
	assert.JSONEq(t, string(want), string(have))
}

// FuzzEndClientTicketRow: for any line, the client's decoding (fast path
// with encoding/json behind it) gives encoding/json's ticket, or fails
// where it fails.
func FuzzEndClientTicketRow(f *testing.F) {
	for _, line := range ticketLines {
		f.Add([]byte(line))
	}
	for _, tk := range demoTickets(4) {
		b, _ := tk.AppendJSON(nil)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		got, want, gotErr, wantErr := decodeTicketBoth(line)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q: client error %v, encoding/json error %v", line, gotErr, wantErr)
		}
		if gotErr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\nclient        %+v\nencoding/json %+v", line, got, want)
		}
	})
}
