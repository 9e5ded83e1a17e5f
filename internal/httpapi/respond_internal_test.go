package httpapi

import (
	"encoding/json"
	"math"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/pkg/api"
)

func TestWriteJSONSendsOneSizedBody(t *testing.T) {
	for _, tt := range []struct {
		name     string
		v        any
		status   int // given to writeJSON
		want     int // answered
		wantCode string
	}{
		{"list", api.List[api.EndClient]{Items: []api.EndClient{{ID: 7, Name: "Tailspin <Dental> & Co"}}}, 200, 200, ""},
		{"error", api.ErrorBody{Error: api.Errorf(api.CodeNotFound, "no project 9")}, 404, 404, api.CodeNotFound},
		{"unencodable", map[string]float64{"x": math.Inf(1)}, 200, 500, api.CodeInternal},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			writeJSON(rec, tt.status, tt.v)
			body := rec.Body.String()
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d", rec.Code, tt.want)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			var got struct {
				Error *api.Error `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("body is not JSON: %v\n%s", err, body)
			}
			if tt.wantCode != "" && (got.Error == nil || got.Error.Code != tt.wantCode) {
				t.Fatalf("error %+v, want code %s", got.Error, tt.wantCode)
			}
			if tt.want == 200 {
				if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(len(body)) {
					t.Errorf("Content-Length %q for a %d-byte body", cl, len(body))
				}
				if want := `"name":"Tailspin <Dental> & Co"`; !strings.Contains(body, want) {
					t.Errorf("body %s lacks %s (no HTML escaping)", body, want)
				}
			}
		})
	}
}
