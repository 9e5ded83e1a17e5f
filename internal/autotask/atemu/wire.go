package atemu

import (
	"encoding/json"
	"math"
	"strconv"
)

// wire is a record as Autotask writes it: double fields with a decimal
// point, four places when fractional ("quantity": 3.1750, "rate":
// 100.0000) and one when whole ("actualBilledHours": 0.0, "fileSize":
// 12345.0), as in the recorded bodies (testdata/real). encoding/json would
// write 12345, which hides a decoder that cannot read 12345.0.
func (s *Server) wire(e *entity, rec map[string]any) map[string]any {
	out := make(map[string]any, len(rec))
	for k, v := range rec {
		if n, ok := v.(float64); ok && e.doubles[k] {
			out[k] = json.Number(decimal(n))
			continue
		}
		out[k] = v
	}
	return out
}

func decimal(n float64) string {
	if n == math.Trunc(n) {
		return strconv.FormatFloat(n, 'f', 1, 64)
	}
	return strconv.FormatFloat(n, 'f', 4, 64)
}

// one is a single record on the wire, as a page of one.
func (s *Server) one(e *entity, rec map[string]any) any {
	return s.page2wire(e, []map[string]any{rec}, &queryBody{})[0]
}
