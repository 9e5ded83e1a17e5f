package api

import (
	"errors"
	"fmt"
	"net/http"
)

// Error codes: the stable "code" of the error shape. The CLI maps them to its
// exit codes; nothing should branch on the message text.
const (
	CodeInvalidRequest         = "invalid_request"
	CodeInvalidCursor          = "invalid_cursor"
	CodeUnauthenticated        = "unauthenticated"
	CodeForbidden              = "forbidden"
	CodeNotBillingOrganization = "not_billing_organization"
	CodeReadOnly               = "read_only"
	CodeNotFound               = "not_found"
	CodeIdempotencyConflict    = "idempotency_conflict"
	CodeConflict               = "conflict"
	CodeTooLarge               = "too_large"
	CodeRateLimited            = "rate_limited"
	CodeInternal               = "internal"
	CodeUpstreamUnavailable    = "upstream_unavailable"
	CodeNotSupported           = "not_supported"
	CodeUnavailable            = "unavailable"
)

var codeStatus = map[string]int{
	CodeInvalidRequest:         http.StatusBadRequest,
	CodeInvalidCursor:          http.StatusBadRequest,
	CodeUnauthenticated:        http.StatusUnauthorized,
	CodeForbidden:              http.StatusForbidden,
	CodeNotBillingOrganization: http.StatusForbidden,
	CodeReadOnly:               http.StatusForbidden,
	CodeNotFound:               http.StatusNotFound,
	CodeIdempotencyConflict:    http.StatusConflict,
	CodeConflict:               http.StatusConflict,
	CodeTooLarge:               http.StatusRequestEntityTooLarge,
	CodeRateLimited:            http.StatusTooManyRequests,
	CodeInternal:               http.StatusInternalServerError,
	CodeUpstreamUnavailable:    http.StatusServiceUnavailable,
	CodeNotSupported:           http.StatusNotImplemented,
	CodeUnavailable:            http.StatusServiceUnavailable,
}

// HTTPStatus returns the HTTP status for an error code (500 when unknown).
func HTTPStatus(code string) int {
	if s, ok := codeStatus[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Error is the one error type of the Portal API, on both sides of the wire.
// The server returns it from the rules layer; the client decodes it from
// {"error": {...}}.
type Error struct {
	Code      string         `json:"code"`
	Message   string         `json:"message"`
	Details   map[string]any `json:"details,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	// Status is the HTTP status the error travelled with (client side) or
	// will travel with (server side, from Code when zero).
	Status int `json:"-"`
}

func (e *Error) Error() string { return e.Message }

// ErrorBody is the wire envelope: {"error": {...}}.
type ErrorBody struct {
	Error *Error `json:"error"`
}

// Errorf builds an Error with a code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// With returns e with one detail added (for chaining at construction).
func (e *Error) With(key string, value any) *Error {
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	e.Details[key] = value
	return e
}

// Invalid is an invalid_request error naming the offending field.
func Invalid(field, format string, args ...any) *Error {
	return Errorf(CodeInvalidRequest, format, args...).With("field", field)
}

// NotFound is the answer for a record that does not exist or is not
// accessible: the two are indistinguishable on purpose.
func NotFound(what string) *Error {
	return Errorf(CodeNotFound, "%s not found", what)
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, else
// "internal".
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
