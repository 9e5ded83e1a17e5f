package portal_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/portal/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

// A file added to an issue can be listed and downloaded byte for byte,
// with the size and SHA-256 the server computed; concurrent adds on both
// SQL backends get distinct ids (the column has no default there).
func TestAddTaskAttachment(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			svc, _ := portaltest.NewServiceOn(t, backend, portal.Options{})
			ben := portaltest.User(t, svc, "ben")
			const n = 8
			ids := make([]int64, n)
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					a, err := svc.AddTaskAttachment(ctx, ben, "T20260105.0001", portal.NewAttachment{
						Name: fmt.Sprintf("build-%d.log", i), ContentType: "text/plain; charset=utf-8",
						Content: []byte(strings.Repeat(fmt.Sprintf("line %d\n", i), 1000))})
					ids[i], errs[i] = a.ID, err
				})
			}
			wg.Wait()
			seen := map[int64]bool{}
			for i, err := range errs {
				if err != nil {
					t.Fatalf("add %d: %v", i, err)
				}
				if seen[ids[i]] {
					t.Fatalf("id %d given twice", ids[i])
				}
				seen[ids[i]] = true
			}
			d, err := svc.Attachment(ctx, ben, ids[3])
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(d.Content)
			want := []byte(strings.Repeat("line 3\n", 1000))
			if !bytes.Equal(got, want) || d.Size != int64(len(want)) || d.Name != "build-3.log" || d.TaskID == nil ||
				d.ContentType != "text/plain; charset=utf-8" || len(d.SHA256) != 64 {
				t.Errorf("downloaded %+v (%d bytes)", d.Attachment, len(got))
			}
		})
	}
}

func TestAddTaskAttachmentRejects(t *testing.T) {
	svc, _ := portaltest.NewService(t, portal.Options{})
	ben := portaltest.User(t, svc, "ben")
	for _, tc := range []struct {
		name string
		in   portal.NewAttachment
		code string
	}{
		{"no name", portal.NewAttachment{Content: []byte("x")}, api.CodeInvalidRequest},
		{"a path", portal.NewAttachment{Name: "../etc/passwd", Content: []byte("x")}, api.CodeInvalidRequest},
		{"empty", portal.NewAttachment{Name: "a.log"}, api.CodeInvalidRequest},
		{"bad type", portal.NewAttachment{Name: "a.log", ContentType: "not a type", Content: []byte("x")}, api.CodeInvalidRequest},
		{"too large", portal.NewAttachment{Name: "a.log", Content: make([]byte, api.MaxAttachment+1)}, api.CodeTooLarge},
	} {
		if _, err := svc.AddTaskAttachment(ctx, ben, "T20260105.0001", tc.in); api.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
}
