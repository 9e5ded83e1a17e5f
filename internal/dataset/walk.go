package dataset

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// walk streams a data file: for every record of every top-level key it calls
// visit with the kind, the record's index (-1 for the portal object) and its
// raw JSON. Only one record is in memory at a time. Structural problems
// (not an object, a kind that is not an array, an unknown key) are added to
// ps; a syntax error ends the walk.
func walk(r io.Reader, ps *Problems, visit func(kind string, index int, raw json.RawMessage) error) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := expectDelim(dec, '{'); err != nil {
		return fmt.Errorf("the file must hold one JSON object: %w", err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntaxError(dec, err)
		}
		kind, _ := tok.(string)
		if _, known := kindIndex[kind]; !known {
			ps.add(kind, -1, "", "unknown key (known keys: portal, organizations, security_levels, contacts, resources, contracts, projects, phases, tasks, team, project_notes, task_notes, attachments, events, tickets, ticket_notes, billing_items)")
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return syntaxError(dec, err)
			}
			continue
		}
		if kind == "portal" {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return syntaxError(dec, err)
			}
			if err := visit(kind, -1, raw); err != nil {
				return err
			}
			continue
		}
		if t, err := dec.Token(); err != nil {
			return syntaxError(dec, err)
		} else if t != json.Delim('[') {
			ps.add(kind, -1, "", "must be an array of records")
			if _, isDelim := t.(json.Delim); isDelim { // an object: skip it whole
				if err := skipRest(dec); err != nil {
					return syntaxError(dec, err)
				}
			}
			continue
		}
		for i := 0; dec.More(); i++ {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return syntaxError(dec, err)
			}
			if err := visit(kind, i, raw); err != nil {
				return err
			}
		}
		if err := expectDelim(dec, ']'); err != nil {
			return syntaxError(dec, err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return syntaxError(dec, err)
	}
	// Data after the object (two files concatenated) would otherwise be
	// silently left out of the import.
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("invalid JSON near byte %d: unexpected data after the top-level object", dec.InputOffset())
	}
	return nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("expected %q, found %v", want, tok)
	}
	return nil
}

// skipRest consumes tokens up to the end of an object or array already opened.
func skipRest(dec *json.Decoder) error {
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

func syntaxError(dec *json.Decoder, err error) error {
	return fmt.Errorf("invalid JSON near byte %d: %w", dec.InputOffset(), err)
}

// seekable returns r as an io.ReadSeeker, spooling it to a temporary file
// when it is not one (stdin), so the file can be read twice.
func seekable(r io.Reader) (io.ReadSeeker, func(), error) {
	if rs, ok := r.(io.ReadSeeker); ok {
		if _, err := rs.Seek(0, io.SeekCurrent); err == nil {
			return rs, func() {}, nil
		}
	}
	f, err := os.CreateTemp("", "portald-import-*.json")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	if _, err := io.Copy(f, r); err != nil {
		cleanup()
		return nil, nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		cleanup()
		return nil, nil, err
	}
	return f, cleanup, nil
}
