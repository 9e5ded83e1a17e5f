package dataset

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"reflect"
)

// Exporter is the reading side of an Importer.
type Exporter interface {
	// Export calls emit for every stored portal record (dataset types,
	// PasswordHash set, Password empty) in Kinds order, streaming.
	Export(ctx context.Context, emit func(rec any) error) error
}

// Export writes everything exp holds in the data format, one record per
// line, streaming: the output re-imports into the same database.
func Export(ctx context.Context, exp Exporter, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{")
	current := ""
	err := exp.Export(ctx, func(rec any) error {
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if kind := kindOf(rec); kind != current {
			if current != "" && current != "portal" {
				bw.WriteString("\n  ]")
			}
			if current != "" {
				bw.WriteString(",")
			}
			current = kind
			if kind == "portal" {
				bw.WriteString("\n  \"portal\": ")
			} else {
				bw.WriteString("\n  \"" + kind + "\": [\n    ")
			}
		} else {
			bw.WriteString(",\n    ")
		}
		_, err = bw.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	if current != "" && current != "portal" {
		bw.WriteString("\n  ]")
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

var kindByType = map[reflect.Type]string{}

func init() {
	for kind, sp := range specs {
		kindByType[reflect.PointerTo(sp.typ)] = kind
	}
}

func kindOf(rec any) string { return kindByType[reflect.TypeOf(rec)] }
