package autotask

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

func TestDiscovery(t *testing.T) {
	api := newFake(t, func(w http.ResponseWriter, r *http.Request, path, body string) {
		writeJSON(w, 200, `{"item":{"id":5,"title":"Found"}}`)
	})
	tests := []struct {
		name     string
		status   int
		body     string
		wantErr  string
		wantBase string
	}{
		{"zone found", 200, fmt.Sprintf(`{"zoneName":"America East","url":"%s/atservicesrest/","webUrl":"https://ww3.autotask.net/","ci":7}`, api.URL), "", api.base()},
		{"zone url without slash", 200, fmt.Sprintf(`{"zoneName":"America East","url":"%s/atservicesrest","webUrl":"https://ww3.autotask.net/","ci":7}`, api.URL), "", api.base()},
		{"unknown user on Autotask", 500, `{"errors":["Zone information could not be determined"]}`, "autotask: credentials rejected (500 Internal Server Error: Zone information could not be determined); check the API user name, secret and integration code", ""},
		{"unknown user", 200, `{"zoneName":null,"url":null}`, "autotask: credentials rejected (200 OK: zone discovery found no zone for this API user name); check the API user name, secret and integration code", ""},
		{"not found", 404, `{"errors":["No zone is known for this user name."]}`, "autotask: credentials rejected (404 Not Found: No zone is known for this user name.); check the API user name, secret and integration code", ""},
		{"forbidden", 403, `{"errors":["User not found"]}`, "autotask: credentials rejected (403 Forbidden: User not found); check the API user name, secret and integration code", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotQuery, gotSecret string
			disco := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/atservicesrest/v1.0/zoneInformation" {
					writeJSON(w, 404, `{"errors":["no route"]}`)
					return
				}
				gotQuery, gotSecret = r.URL.RawQuery, r.Header.Get("Secret")+r.Header.Get("ApiIntegrationCode")
				writeJSON(w, tt.status, tt.body)
			}))
			defer disco.Close()
			c, err := New(context.Background(), Config{Credentials: testCreds, DiscoveryURL: disco.URL + "/atservicesrest"})
			if gotQuery != "user=api-user%40example.com" || gotSecret != "" {
				t.Errorf("zoneInformation query = %q, credentials sent = %q (it needs none)", gotQuery, gotSecret)
			}
			if tt.wantErr != "" {
				var auth *AuthError
				if !errors.As(err, &auth) || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want AuthError %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.BaseURL() != tt.wantBase {
				t.Errorf("BaseURL = %q, want %q", c.BaseURL(), tt.wantBase)
			}
			var rec struct{ Title string }
			if err := c.Get(context.Background(), "Tasks", 5, &rec); err != nil || rec.Title != "Found" {
				t.Errorf("Get through the discovered zone = %+v, %v", rec, err)
			}
		})
	}
}

func TestNewRejectsMissingCredentials(t *testing.T) {
	_, err := New(context.Background(), Config{Credentials: Credentials{Username: "u", Secret: "s"}, BaseURL: "http://x/v1.0/"})
	if err == nil || err.Error() != "autotask: the API user name, secret and integration code are all required" {
		t.Errorf("err = %v", err)
	}
}

func TestEveryCallCarriesCredentialHeaders(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, path, body string) {
		switch path {
		case "Tasks/query":
			writeJSON(w, 200, fmt.Sprintf(`{"items":[{"id":1}],"pageDetails":{"count":1,"requestCount":1,"prevPageUrl":null,"nextPageUrl":"%sTasks/query/next?paging=x"}}`, "http://"+r.Host+apiPrefix))
		case "Tasks/query/next":
			writeJSON(w, 200, `{"items":[{"id":2}],"pageDetails":{"count":1,"requestCount":1,"prevPageUrl":null,"nextPageUrl":null}}`)
		default:
			writeJSON(w, 200, `{"itemId":3}`)
		}
	})
	c, _ := newTestClient(t, f, Config{})
	ctx := context.Background()
	if err := c.Query(ctx, "Tasks", Query{}, func(Item) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create(ctx, "Projects/5/Tasks", map[string]any{"title": "x"}); err != nil {
		t.Fatal(err)
	}
	seen := f.requests(true)
	if len(seen) != 4 { // ThresholdInformation, query, next page, create
		t.Fatalf("server saw %d calls, want 4", len(seen))
	}
	for _, r := range seen {
		h := r.Header
		if h.Get("ApiIntegrationCode") != testCreds.IntegrationCode || h.Get("UserName") != testCreds.Username ||
			h.Get("Secret") != testCreds.Secret || h.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s headers = %v", r.Method, r.Path, h)
		}
	}
	if c.Calls() != 4 {
		t.Errorf("Calls() = %d, want 4", c.Calls())
	}
}

// The three pages Autotask answers for a 5-record query with MaxRecords 2.
var pages = []string{
	`{"items":[{"id":1,"title":"One"},{"id":2,"title":"Two"}],"pageDetails":{"count":2,"requestCount":2,"prevPageUrl":null,"nextPageUrl":"%sTasks/query/next?paging=eyJwIjoyfQ"}}`,
	`{"items":[{"id":3,"title":"Three"},{"id":4,"title":"Four"}],"pageDetails":{"count":2,"requestCount":2,"prevPageUrl":"x","nextPageUrl":"%sTasks/query/next?paging=eyJwIjozfQ"}}`, // upper-case prefix
	`{"items":[{"id":5,"title":"Five"}],"pageDetails":{"count":1,"requestCount":2,"prevPageUrl":"x","nextPageUrl":null}}`,
}

func pagedFake(t *testing.T) *fakeAutotask {
	return newFake(t, func(w http.ResponseWriter, r *http.Request, _, _ string) {
		page := map[string]int{"": 0, "paging=eyJwIjoyfQ": 1, "paging=eyJwIjozfQ": 2}[r.URL.RawQuery]
		prefixes := []string{"http://" + r.Host + apiPrefix, "http://" + r.Host + "/ATServicesRest/V1.0/"}
		answer := pages[page]
		if page < 2 {
			answer = fmt.Sprintf(pages[page], prefixes[page])
		}
		writeJSON(w, 200, answer)
	})
}

func TestQueryFollowsEveryPage(t *testing.T) {
	f := pagedFake(t)
	c, _ := newTestClient(t, f, Config{})
	q := Query{Filter: []Filter{Eq("projectID", 5)}, IncludeFields: []string{"id", "title"}, MaxRecords: 2}
	var titles []string
	err := c.Query(context.Background(), "Tasks", q, func(it Item) error {
		var rec struct{ Title string }
		if err := json.Unmarshal(it, &rec); err != nil {
			return err
		}
		titles = append(titles, rec.Title)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"One", "Two", "Three", "Four", "Five"}; !slices.Equal(titles, want) {
		t.Errorf("titles = %v, want %v", titles, want)
	}
	// Autotask answers 405 to a GET of a POST query's nextPageUrl: the next
	// pages are POSTed with the same body.
	body := `{"filter":[{"op":"eq","field":"projectID","value":5}],"IncludeFields":["id","title"],"MaxRecords":2}`
	want := []seenRequest{
		{Method: "POST", Path: "Tasks/query", Body: body},
		{Method: "POST", Path: "Tasks/query/next", Query: "paging=eyJwIjoyfQ", Body: body},
		{Method: "POST", Path: "Tasks/query/next", Query: "paging=eyJwIjozfQ", Body: body},
	}
	got := f.requests(false)
	if len(got) != len(want) {
		t.Fatalf("server saw %d calls, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Method != want[i].Method || got[i].Path != want[i].Path || got[i].Query != want[i].Query || got[i].Body != want[i].Body {
			t.Errorf("call %d = %s %s?%s %s, want %+v", i, got[i].Method, got[i].Path, got[i].Query, got[i].Body, want[i])
		}
	}
}

func TestQueryStopsAtCallbackErrorWithoutFetchingMore(t *testing.T) {
	f := pagedFake(t)
	c, _ := newTestClient(t, f, Config{})
	stop := errors.New("enough")
	n := 0
	err := c.Query(context.Background(), "Tasks", Query{}, func(Item) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want the callback's error", err)
	}
	if got := len(f.requests(false)); got != 2 {
		t.Errorf("server saw %d page calls, want 2 (the third page is never needed)", got)
	}
	if body := f.requests(false)[0].Body; body != `{"filter":[{"op":"gte","field":"id","value":0}],"MaxRecords":500}` {
		t.Errorf("query without filter sent %s", body)
	}
}

func TestQueryRefusesNextPageOnAnotherHost(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, path, body string) {
		writeJSON(w, 200, `{"items":[{"id":1}],"pageDetails":{"nextPageUrl":"https://evil.example.net/v1.0/Tasks/query/next?paging=1"}}`)
	})
	c, _ := newTestClient(t, f, Config{})
	err := c.Query(context.Background(), "Tasks", Query{}, func(Item) error { return nil })
	var unavailable *UnavailableError
	if !errors.As(err, &unavailable) || len(f.requests(false)) != 1 {
		t.Errorf("err = %v after %d calls, want UnavailableError after 1", err, len(f.requests(false)))
	}
}

func TestDiscoveryUnreachable(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	_, err := New(context.Background(), Config{Credentials: testCreds, DiscoveryURL: dead.URL, MaxRetries: 1, RetryBase: 1})
	var unavailable *UnavailableError
	if !errors.As(err, &unavailable) {
		t.Fatalf("err = %v, want UnavailableError", err)
	}
}
