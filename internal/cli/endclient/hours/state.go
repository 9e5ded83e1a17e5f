package hours

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/statefile"
)

// stateFormat is the version of the state file this portalctl writes.
const stateFormat = 2

// State is what --state remembers between runs: which export it belongs
// to (server, user, the portal database's billing feed, the filters) and
// how far that export has gone (the feed position). Pending, when set, is
// a run's commit that a crash may have cut short (see commit.go).
type State struct {
	Format   int      `json:"format"`
	Server   string   `json:"server,omitempty"`
	User     string   `json:"user,omitempty"`
	Feed     string   `json:"feed,omitempty"`
	Position int64    `json:"position"`
	Filters  Filters  `json:"filters"`
	Pending  *Pending `json:"pending,omitempty"`
	// LastID is the whole state of portalctl before the billing feed.
	LastID int64 `json:"last_billing_item_id,omitempty"`
}

// Filters are the flags that decide which rows an export has.
type Filters struct {
	Client string `json:"client,omitempty"`
	Kind   string `json:"kind,omitempty"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	JQ     string `json:"jq,omitempty"`
}

// started reports whether a run has completed with this state.
func (s State) started() bool { return s.Feed != "" }

// since is the state's position as the API's since parameter.
func (s State) since() string {
	if !s.started() {
		return ""
	}
	return fmt.Sprintf("%s:%d", s.Feed, s.Position)
}

// ReadState reads a state file; a missing (or empty) file is a first run.
func ReadState(path string) (State, error) {
	var s State
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(strings.TrimSpace(string(b))) == 0 {
		return State{Format: stateFormat}, nil
	}
	if err != nil {
		return s, err
	}
	err = json.Unmarshal(b, &s)
	switch {
	case err != nil:
	case s.Format == 0 && s.LastID > 0:
		return s, cmdutil.FlagErrorf("--state %s was written by an older portalctl, which kept only the highest billing "+
			"item id (%d) and so missed late, corrected and removed items; it cannot say which rows you have. Move it "+
			"away: the next run exports every row once (entry \"new\"); remove from that export the ids you already "+
			"have, once", path, s.LastID)
	case s.Format != stateFormat:
		err = fmt.Errorf("format %d, this portalctl writes %d", s.Format, stateFormat)
	case s.Position < 0:
		err = fmt.Errorf("negative position %d", s.Position)
	}
	if err != nil {
		return s, cmdutil.FlagErrorf("--state %s is not a portalctl state file (%v); move it away to start a full export", path, err)
	}
	return s, nil
}

// WriteState replaces the state file atomically and durably.
func WriteState(path string, s State) error { return statefile.Write(path, s) }

// mismatch names what differs between the export a state belongs to and
// this run's ("" when nothing does).
func (s State) mismatch(server, user string, f Filters) string {
	var diffs []string
	add := func(what, was, now string) {
		if was != now {
			diffs = append(diffs, fmt.Sprintf("%s %s (this run: %s)", what, orNone(was), orNone(now)))
		}
	}
	add("server", s.Server, server)
	add("user", s.User, user)
	if !strings.EqualFold(s.Filters.Client, f.Client) {
		add("--client", s.Filters.Client, f.Client)
	}
	add("--kind", s.Filters.Kind, f.Kind)
	add("--from", s.Filters.From, f.From)
	add("--to", s.Filters.To, f.To)
	add("--jq", s.Filters.JQ, f.JQ)
	return strings.Join(diffs, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
