package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/portalctl/portalctl/pkg/api"
)

// jsonBuffers recycles response buffers: writeJSON encodes into one so a
// response goes out in a single write with a Content-Length (measured under
// wrk: a third fewer write calls than encoding straight to the connection).
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return jsonBuffers.Get().(*bytes.Buffer) }

func putBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 { // don't keep the odd huge page alive
		buf.Reset()
		jsonBuffers.Put(buf)
	}
}

// sendJSON writes an encoded JSON answer in one write, with its length.
func sendJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// writeJSON writes v with a status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := getBuffer()
	defer putBuffer(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only a value json cannot encode gets here: a bug, not bad input.
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"error":{"code":"internal","message":"internal error: the answer could not be encoded; report it to your provider"}}`+"\n")
		return
	}
	sendJSON(w, status, buf.Bytes())
}

// writeError answers with the API error shape. Errors that are not
// *api.Error are internal (logged with their detail, answered generically),
// except a store's upstream errors (see storeError).
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *api.Error
	se, fromStore := storeError(err)
	switch {
	case clientGone(r, err):
		// Nobody reads this answer, and it is not a fault to report: the
		// status is for the access log and metrics only.
		h.log.DebugContext(r.Context(), "client went away", "err", err, "request_id", requestID(r))
		w.WriteHeader(statusClientClosed)
		return
	case errors.As(err, &e):
	case fromStore:
		h.log.WarnContext(r.Context(), "store unavailable", "err", err, "request_id", requestID(r))
		e = se
	default:
		h.log.ErrorContext(r.Context(), "internal error", "err", err, "request_id", requestID(r))
		e = api.Errorf(api.CodeInternal, "internal error; report request id %s to your provider", requestID(r))
	}
	out := *e
	out.RequestID = requestID(r)
	status := api.HTTPStatus(out.Code)
	switch status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="portal"`)
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		if secs, ok := out.Details["retry_after_seconds"].(int); ok {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
	}
	writeJSON(w, status, api.ErrorBody{Error: &out})
}

// statusClientClosed is nginx's 499: the client closed the connection
// before the answer was ready.
const statusClientClosed = 499

// clientGone reports whether err only says that the client went away (it
// closed the connection, so the server cancelled the request's context).
// A deadline of our own is not that: it stays an error.
func clientGone(r *http.Request, err error) bool {
	return errors.Is(r.Context().Err(), context.Canceled) && errors.Is(err, context.Canceled)
}

// decodeBody reads a JSON request body into v: at most the body limit,
// no unknown fields, exactly one value.
func (h *handler) decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, h.opt.MaxBodyBytes)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return h.tooLarge()
		case errors.As(err, &typeErr) && typeErr.Field == "": // [], "x", 5: no field to name
			return api.Errorf(api.CodeInvalidRequest, "request body must be a JSON object, not a JSON %s", typeErr.Value)
		case errors.As(err, &typeErr):
			return api.Invalid(typeErr.Field, "%s must be a %s", typeErr.Field, typeErr.Type.Kind())
		default:
			return api.Errorf(api.CodeInvalidRequest, "request body is not valid JSON for this endpoint: %v", err)
		}
	}
	// Only blanks may follow the object (dec.More alone would let a stray
	// "]" or "}" through).
	if _, err := dec.Token(); err != io.EOF {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return h.tooLarge()
		}
		return api.Errorf(api.CodeInvalidRequest, "request body must hold a single JSON object")
	}
	return nil
}

func (h *handler) tooLarge() error {
	return api.Errorf(api.CodeTooLarge, "request body is larger than %d bytes", h.opt.MaxBodyBytes)
}

// audit records who did what. Never pass secrets here.
func (h *handler) audit(r *http.Request, event string, attrs ...any) {
	base := []any{"event", event, "request_id", requestID(r), "remote", clientIP(r)}
	if u := userFrom(r); u != nil {
		base = append(base, "user_id", u.Contact.ID, "username", u.Contact.Username)
	}
	h.log.LogAttrs(r.Context(), slog.LevelInfo, "audit", slog.Group("audit", append(base, attrs...)...))
}

// respond writes v with 200, or the error.
func respond(h *handler, w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// pathID parses a numeric {id} path value.
func pathID(r *http.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, api.NotFound(what)
	}
	return id, nil
}

// boolParam parses an optional true/false query parameter.
func boolParam(r *http.Request, name string) (bool, error) {
	switch v := r.URL.Query().Get(name); v {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	default:
		return false, api.Invalid(name, "%s must be true or false, not %q", name, v)
	}
}
