package repo

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	codeSpan = regexp.MustCompile("`([^`\n]+)`")
	// repoPath is a code span that names a file or directory of the
	// repository (placeholders such as <noun> are left alone).
	repoPath = regexp.MustCompile(`^(internal|pkg|cmd|docs|api|bench|scripts|packaging|testdata|completions|\.ci)/[\w./*-]*$`)
	// qualified is pkg.Name or pkg.Type.Method in Go code.
	qualified = regexp.MustCompile(`\b([a-z][a-z0-9]*)\.([A-Z]\w*)(?:\.([A-Z]\w*))?`)
)

// TestDocsNameRealThings: a path or Go identifier that a guide names in
// backticks exists, so that the map (docs/architecture.md,
// internal/cli/COMMANDS.md, CONTRIBUTING.md, …) fails here, not in a
// newcomer's hands, when the code moves on.
func TestDocsNameRealThings(t *testing.T) {
	decls := declarations(t)
	for _, rel := range guides(t) {
		for _, m := range codeSpan.FindAllStringSubmatch(read(t, rel), -1) {
			span := strings.TrimSuffix(strings.TrimSuffix(m[1], "/..."), "/")
			if repoPath.MatchString(span) {
				if matches, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(span))); len(matches) == 0 {
					t.Errorf("%s names %s, which does not exist", rel, span)
				}
				continue
			}
			for _, q := range qualified.FindAllStringSubmatch(span, -1) {
				names, isPkg := decls[q[1]]
				if !isPkg {
					continue // a variable (opts.Query), a file name (config.yaml), …
				}
				want := q[2]
				if q[3] != "" {
					want = q[2] + "." + q[3]
				}
				if !names[want] {
					t.Errorf("%s names %s.%s, which no package %s declares", rel, q[1], want, q[1])
				}
			}
		}
	}
}

// declarations maps each package name of the module to the names its
// files declare at top level (Type.Method for methods). Packages that
// share a name (several "list") share one set.
func declarations(t *testing.T) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	fset := token.NewFileSet()
	for _, rel := range repoFiles(t, func(rel string) bool { return strings.HasSuffix(rel, ".go") && !strings.Contains(rel, "/testdata/") }) {
		f, err := parser.ParseFile(fset, filepath.Join(root, rel), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		name := f.Name.Name
		if name == "main" || strings.HasSuffix(name, "_test") {
			continue
		}
		if out[name] == nil {
			out[name] = map[string]bool{}
		}
		// The directory's last element too: a reader writes the import
		// path's name (output.Projects), which is the package name here.
		if base := path.Base(path.Dir(rel)); base != name && out[base] == nil {
			out[base] = out[name]
		}
		for _, d := range f.Decls {
			addDecl(out[name], d)
		}
	}
	return out
}

func addDecl(names map[string]bool, d ast.Decl) {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil || len(d.Recv.List) == 0 {
			names[d.Name.Name] = true
			return
		}
		if typ := recvType(d.Recv.List[0].Type); typ != "" {
			names[typ+"."+d.Name.Name] = true
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				names[s.Name.Name] = true
				addFields(names, s)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					names[n.Name] = true
				}
			}
		}
	}
}

// recvType is the name of a method's receiver type (T of *T, T[K]).
func recvType(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return recvType(x.X)
	case *ast.IndexExpr:
		return recvType(x.X)
	case *ast.IndexListExpr:
		return recvType(x.X)
	case *ast.Ident:
		return x.Name
	}
	return ""
}

// addFields records a struct's fields and an interface's methods as
// Type.Name, as a reader writes them (TaskQuery.OpenForContactID).
func addFields(names map[string]bool, s *ast.TypeSpec) {
	var list *ast.FieldList
	switch x := s.Type.(type) {
	case *ast.StructType:
		list = x.Fields
	case *ast.InterfaceType:
		list = x.Methods
	}
	if list == nil {
		return
	}
	for _, f := range list.List {
		for _, n := range f.Names {
			names[s.Name.Name+"."+n.Name] = true
		}
	}
}
