package httpapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"sort"
	"strings"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// cursorPayload is what a next_cursor carries: the endpoint and filters it
// belongs to (so it cannot be replayed elsewhere) and the keyset position.
type cursorPayload struct {
	Scope string `json:"s"`
	Value string `json:"v,omitempty"`
	ID    int64  `json:"i"`
}

// cursorScope binds a cursor to a route and its filter parameters.
func cursorScope(route string, q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "cursor" && k != "limit" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(route)
	for _, k := range keys {
		b.WriteString("&" + k + "=" + strings.Join(q[k], ","))
	}
	sum := sha256.Sum256([]byte(b.String()))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

func (h *handler) encodeCursor(scope string, k store.Key) string {
	body, _ := json.Marshal(cursorPayload{Scope: scope, Value: k.Value, ID: k.ID})
	mac := hmac.New(sha256.New, h.opt.CursorKey)
	mac.Write(body)
	return base64.RawURLEncoding.EncodeToString(body) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
}

// decodeCursor verifies a cursor's signature and scope.
func (h *handler) decodeCursor(scope, s string) (*store.Key, error) {
	bad := api.Errorf(api.CodeInvalidCursor, "the cursor is invalid or belongs to another query; start again without cursor")
	body64, sig64, ok := strings.Cut(s, ".")
	if !ok {
		return nil, bad
	}
	body, err1 := base64.RawURLEncoding.Strict().DecodeString(body64)
	sig, err2 := base64.RawURLEncoding.Strict().DecodeString(sig64)
	if err1 != nil || err2 != nil {
		return nil, bad
	}
	mac := hmac.New(sha256.New, h.opt.CursorKey)
	mac.Write(body)
	if !hmac.Equal(sig, mac.Sum(nil)[:16]) {
		return nil, bad
	}
	var p cursorPayload
	if json.Unmarshal(body, &p) != nil || p.Scope != scope {
		return nil, bad
	}
	return &store.Key{Value: p.Value, ID: p.ID}, nil
}
