package autotask

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestErrorsFromStatusAndBody(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		header  string // Retry-After
		body    string
		write   bool
		check   func(error) bool
		wantMsg string
	}{
		{"400 bad request", 400, "", `{"errors":["Missing Required Field: title","Invalid value for status"]}`, true,
			func(err error) bool {
				var e *APIError
				return errors.As(err, &e) && e.Status == 400 && len(e.Messages) == 2
			},
			"autotask: POST Tasks: 400 Bad Request: Missing Required Field: title; Invalid value for status"},
		{"401 credentials", 401, "", `{"errors":["Unauthorized"]}`, false,
			func(err error) bool { var e *AuthError; return errors.As(err, &e) && e.Status == 401 },
			"autotask: credentials rejected (401 Unauthorized: Unauthorized); check the API user name, secret and integration code"},
		{"403 not discovery", 403, "", `{"errors":["User does not have permission to query Tasks"]}`, false,
			func(err error) bool { var e *APIError; return errors.As(err, &e) && e.Status == 403 },
			"autotask: POST Tasks/query: 403 Forbidden: User does not have permission to query Tasks"},
		{"429 too long to wait", 429, "120", `{"errors":["Rate limit exceeded"]}`, false,
			func(err error) bool {
				var e *RateLimitError
				return errors.As(err, &e) && !e.Local && e.RetryAfter == 2*time.Minute && !errors.Is(err, ErrBudgetExhausted)
			},
			"autotask: Autotask's request limit is reached (429); retry after 2m0s"},
		{"500 with error body", 500, "", `{"errors":["Object reference not set to an instance of an object."]}`, true,
			func(err error) bool {
				var u *UnavailableError
				var a *APIError
				return errors.As(err, &u) && errors.As(err, &a) && a.Status == 500
			},
			"autotask unavailable: server error: POST Tasks: 500 Internal Server Error: Object reference not set to an instance of an object."},
		{"502 html page, multi-line", 502, "", "<html>\n<body>Bad\r\n gateway</body></html>", true,
			func(err error) bool { var u *UnavailableError; return errors.As(err, &u) },
			"autotask unavailable: server error: POST Tasks: 502 Bad Gateway: <html> <body>Bad gateway</body></html>"},
		{"200 not json", 200, "", `<html>maintenance</html>`, false,
			func(err error) bool { var u *UnavailableError; return errors.As(err, &u) },
			"autotask unavailable: POST Tasks/query answered a body that is not the expected JSON: invalid character '<' looking for beginning of value"},
		{"error objects", 422, "", `{"errors":[{"message":"Task is closed"}]}`, true,
			func(err error) bool { var e *APIError; return errors.As(err, &e) },
			"autotask: POST Tasks: 422 Unprocessable Entity: Task is closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, path, body string) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				writeJSON(w, tt.status, tt.body)
			})
			c, _ := newTestClient(t, f, Config{})
			var err error
			if tt.write {
				_, err = c.Create(context.Background(), "Tasks", map[string]any{"title": "t"})
			} else {
				err = c.Query(context.Background(), "Tasks", Query{}, func(Item) error { return nil })
			}
			if err == nil || !tt.check(err) {
				t.Fatalf("err = %#v, not the expected type", err)
			}
			if err.Error() != tt.wantMsg {
				t.Errorf("message\n got  %s\n want %s", err, tt.wantMsg)
			}
		})
	}
}

func TestLocalRateLimitMessage(t *testing.T) {
	err := error(&RateLimitError{RetryAfter: 754 * time.Second, Local: true})
	if err.Error() != "autotask: hourly request budget spent; retry after 12m34s" || !errors.Is(err, ErrBudgetExhausted) {
		t.Errorf("local limit error = %v", err)
	}
}

// Credentials must never reach an error string or a log line, whatever goes
// wrong: rejected, server error, rate limit, no answer, discovery failing.
func TestCredentialsNeverInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var status atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, path, body string) {
		if status.Load() == 0 {
			hangUp(w)
			return
		}
		writeJSON(w, int(status.Load()), `{"errors":["failed"]}`)
	})
	c, _ := newTestClient(t, f, Config{Logger: logger, MaxRetries: 1})
	var errs []error
	for _, s := range []int32{0, 200, 401, 429, 500, 503, 400} {
		status.Store(s)
		errs = append(errs, c.Query(context.Background(), "Tasks", Query{}, func(Item) error { return nil }))
		_, err := c.Create(context.Background(), "Tasks", map[string]string{"title": "x"})
		errs = append(errs, err)
	}
	f.Close()
	errs = append(errs, c.Get(context.Background(), "Tasks", 1, &struct{}{}))
	_, err := New(context.Background(), Config{Credentials: testCreds, DiscoveryURL: f.URL, Logger: logger, MaxRetries: 1, RetryBase: time.Millisecond})
	errs = append(errs, err)

	var text strings.Builder
	for _, err := range errs {
		if err != nil {
			text.WriteString(err.Error() + "\n")
		}
	}
	if strings.Count(text.String(), "\n") < 12 {
		t.Fatalf("expected failures, got only:\n%s", text.String())
	}
	text.WriteString(logs.String())
	for _, secret := range []string{testCreds.Secret, testCreds.IntegrationCode, testCreds.Username, "api-user%40example.com"} {
		if strings.Contains(text.String(), secret) {
			t.Errorf("%q leaked into errors or logs:\n%s", secret, text.String())
		}
	}
}
