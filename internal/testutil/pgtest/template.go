package pgtest

import (
	"context"
	"regexp"
	"sync"
	"testing"
)

// templates holds, per template name, the outcome of building it once.
var templates sync.Map // string → *template

type template struct {
	once sync.Once
	err  error
}

var templateName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

// NewDatabaseFrom is NewDatabase for a database that starts as a copy of the
// template database name. The first call of a test binary builds the
// template by calling fill with its URL (fill must close its connections
// before returning: PostgreSQL copies only a database nobody is connected
// to); later calls, also from parallel tests, copy it. Copying a filled
// database takes a fraction of the time of migrating and filling a new one.
// The template lives as long as the server.
func NewDatabaseFrom(t testing.TB, name string, fill func(url string) error) string {
	t.Helper()
	if !templateName.MatchString(name) {
		t.Fatalf("pgtest: template name %q: use lower-case letters, digits and _", name)
	}
	srv := running(t)
	v, _ := templates.LoadOrStore(name, &template{})
	tp := v.(*template)
	tp.once.Do(func() {
		if tp.err = srv.admin(context.Background(), "CREATE DATABASE tmpl_"+name); tp.err == nil {
			tp.err = fill(srv.url("tmpl_" + name))
		}
	})
	if tp.err != nil {
		t.Fatalf("pgtest: template %s: %v", name, tp.err)
	}
	return createDatabase(t, "tmpl_"+name)
}
