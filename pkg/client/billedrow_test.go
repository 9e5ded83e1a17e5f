package client

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/pkg/api"
)

// reused is one decoder for every test line, as a stream uses one for all
// its lines: nothing may carry over from one line to the next.
var reused = newBilledHoursDecoder()

// decodeBoth decodes line the way the export does (fast path, then
// encoding/json) and with encoding/json alone.
func decodeBoth(line []byte) (got, want api.BilledHoursRow, gotErr, wantErr error) {
	gotErr = decodeLine(line, 200, reused, &got)
	wantErr = json.Unmarshal(line, &want)
	return got, want, gotErr, wantErr
}

// Lines the fast path must decode exactly like encoding/json, including
// every line it has to hand over: escapes, unicode, invalid UTF-8, nulls,
// negative and odd numbers, unknown and upper-case keys, whitespace.
var billedLines = []string{
	`{}`,
	`{"id":1}`,
	`{"id":-0,"client_id":0,"project_id":999999999999999}`,
	`{"id":1234567890123456789}`,
	`{"id":12345678901234567890}`,
	`{"id":1.0}`, `{"id":1e3}`, `{"id":01}`, `{"id":"1"}`, `{"id":null}`, `{"id":-}`,
	`{"client_name":"Tailspin Dental","description":"Synthetic work 0"}`,
	`{"id":1,"entry":"reversal"}`, `{"entry":"new","entry":"other"}`, `{"entry":"corr\u0065ction"}`, `{"entry":null}`,
	`{"client_name":"Jos\u00e9 \"Pepe\" \\ <b>&</b>\n\ttab"}`,
	`{"client_name":"José Álvarez – 日本語 😀"}`,
	"{\"client_name\":\"bad \xff utf8 \xed\xa0\x80 surrogate\"}",
	"{\"client_name\":\"raw\x01control\"}",
	`{"client_name":"\ud800 lone surrogate \udc00"}`,
	`{"client_name":"\u2028\u2029"}`,
	`{"client_name":null}`, `{"client_name":1}`, `{"client_name":"unterminated}`,
	`{"worked_date":"2024-01-01","hours_worked":0.25,"hours_billed":-1.5,"rate":95.00,"amount":-0.05}`,
	`{"hours_worked":3}`, `{"hours_worked":3.500}`, `{"hours_worked":3.125}`, `{"hours_worked":"3.50"}`,
	`{"hours_worked":1e2}`, `{"hours_worked":.5}`, `{"hours_worked":5.}`, `{"hours_worked":null}`,
	`{"hours_worked":12345678901234567}`, `{"hours_worked":-0.00}`,
	`{"rate":null,"amount":null,"task_id":null,"task_number":null,"task_title":null,"resource":null,"billed_at":null}`,
	`{"task_id":5,"task_id":null}`, `{"task_id":null,"task_id":6}`, `{"task_number":"a","task_number":"b"}`,
	`{"resource":"R\u00e9mi","task_title":"T\"itle"}`,
	`{"billed_at":"2024-01-01T18:00:00Z"}`,
	`{"billed_at":"2024-01-01T18:00:00.123456789+05:30"}`,
	`{"billed_at":"2024-01-01T18:00:00\u005a"}`,
	`{"billed_at":"2024-13-01T18:00:00Z"}`, `{"billed_at":"yesterday"}`, `{"billed_at":1}`,
	`{"ID":7,"Client_Name":"cased"}`,
	`{"id":7,"unknown":{"nested":[1,2]}}`,
	`{ "id" : 7 }`, `{"id":7} `, `{"id":7}x`, `{"id":7,}`, `{"id":7`, `{"id" 7}`, `[1]`, `null`, `""`, ``,
	`{"id":1,"client_id":2,"client_name":"A","client_name":"B","client_name":"C","client_name":"D","client_name":"E",` +
		`"client_name":"F","client_name":"G","client_name":"H","client_name":"I","client_name":"J","client_name":"K",` +
		`"client_name":"L","client_name":"M"}`,
}

func TestDecodeBilledHoursRowMatchesEncodingJSON(t *testing.T) {
	lines := append([]string(nil), billedLines...)
	for _, row := range demoRows(20) {
		lines = append(lines, string(bytes.TrimSpace(ndjson(t, row))))
	}
	for _, line := range lines {
		t.Run(line, func(t *testing.T) {
			got, want, gotErr, wantErr := decodeBoth([]byte(line))
			if wantErr != nil {
				require.Error(t, gotErr, "encoding/json rejects it, so must the export")
				assert.Contains(t, gotErr.Error(), wantErr.Error())
				return
			}
			require.NoError(t, gotErr)
			assert.Equal(t, want, got)
		})
	}
}

// The demo rows take the fast path (no silent fallback to encoding/json).
func TestDecodeBilledHoursRowFastPathTakesServerRows(t *testing.T) {
	for _, row := range demoRows(10) {
		var got api.BilledHoursRow
		line := bytes.TrimSpace(ndjson(t, row))
		require.True(t, reused(line, &got), "%s", line)
		assert.Equal(t, row, got)
	}
}

// A decoded row shares nothing with the next one or with the read buffer,
// which both get reused.
func TestDecodedRowsOwnTheirValues(t *testing.T) {
	rows := demoRows(3)
	line := bytes.TrimSpace(ndjson(t, rows[1]))
	var first, second api.BilledHoursRow
	require.NoError(t, decodeLine(line, 200, reused, &first))
	kept := first
	copy(line, bytes.TrimSpace(ndjson(t, rows[2])))
	require.NoError(t, decodeLine(bytes.TrimSpace(ndjson(t, rows[2])), 200, reused, &second))
	*second.TaskNumber = "changed through the second row"
	assert.Equal(t, rows[1], kept)
	assert.Equal(t, rows[1], first)
}

// The export yields the server's rows exactly, whatever their length: a
// line longer than the read buffer (64 kB) is gathered, not cut, and a
// connection cut inside one is still an error.
func TestBilledHoursStreamYieldsRowsAsSent(t *testing.T) {
	rows := demoRows(5)
	rows[2].Description = strings.Repeat("long \"quoted\" text, ", 10_000) // ~200 kB, escaped
	rows[3].ClientName = strings.Repeat("Zoë ", 30_000)
	body := string(ndjson(t, rows[0], rows[1], rows[2], rows[3], rows[4]))
	for _, tt := range []struct {
		name    string
		body    string
		abort   bool
		want    []api.BilledHoursRow
		wantErr error
	}{
		{name: "whole", body: body, want: rows},
		{name: "cut inside a long line", body: body[:len(body)/2], abort: true, want: rows[:2], wantErr: ErrStreamCut},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := streamServer(tt.body, tt.abort)
			defer srv.Close()
			var got []api.BilledHoursRow
			var err error
			for row, rowErr := range newTestClient(t, srv.URL).BilledHoursStream(context.Background(), BilledHoursQuery{}) {
				if rowErr != nil {
					err = rowErr
					break
				}
				got = append(got, row)
			}
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
			} else {
				require.NoError(t, err)
			}
			require.Len(t, got, len(tt.want))
			for i := range got {
				assert.True(t, reflect.DeepEqual(tt.want[i], got[i]), "row %d differs", i)
			}
		})
	}
}

// FuzzBilledHoursRow: for any line, the export's decoding (fast path with
// encoding/json behind it) gives encoding/json's row, or fails where it fails.
func FuzzBilledHoursRow(f *testing.F) {
	for _, line := range billedLines {
		f.Add([]byte(line))
	}
	for _, row := range demoRows(6) {
		f.Add(bytes.TrimSpace(ndjson(f, row)))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		got, want, gotErr, wantErr := decodeBoth(line)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q: export error %v, encoding/json error %v", line, gotErr, wantErr)
		}
		if gotErr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\nexport        %+v\nencoding/json %+v", line, got, want)
		}
	})
}

// plainASCII agrees with a byte-by-byte check for every byte value at every
// position of a word and of the tail.
func TestPlainASCII(t *testing.T) {
	naive := func(s []byte) bool {
		for _, c := range s {
			if c < 0x20 || c == '\\' || c >= 0x80 {
				return false
			}
		}
		return true
	}
	for n := range 20 {
		for pos := range n {
			for c := range 256 {
				s := bytes.Repeat([]byte{'a'}, n)
				s[pos] = byte(c)
				if got, want := plainASCII(s), naive(s); got != want {
					t.Fatalf("plainASCII(%q) = %v, want %v", s, got, want)
				}
			}
		}
	}
	// Mixtures of the edge bytes, where borrows between bytes could mislead.
	edges := []byte{0x00, 0x01, 0x1f, 0x20, 0x21, 0x5b, 0x5c, 0x5d, 0x7f, 0x80, 0xa0, 0xff, 'a'}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		s := make([]byte, rng.IntN(25))
		for i := range s {
			s[i] = edges[rng.IntN(len(edges))]
		}
		if got, want := plainASCII(s), naive(s); got != want {
			t.Fatalf("plainASCII(%q) = %v, want %v", s, got, want)
		}
	}
	assert.True(t, plainASCII([]byte(" !#[]~ Tailspin Dental, P20260201.0005")))
}
