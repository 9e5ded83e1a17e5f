package hours

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
)

// State is what --state remembers between runs.
type State struct {
	LastID int64 `json:"last_billing_item_id"`
}

// ReadState reads a state file; a missing file is a first run.
func ReadState(path string) (State, error) {
	var s State
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	err = json.Unmarshal(b, &s)
	if err == nil && s.LastID < 0 {
		err = fmt.Errorf("negative last_billing_item_id %d", s.LastID)
	}
	if err != nil {
		return s, cmdutil.FlagErrorf("--state %s is not a portalctl state file (%v); move it away to start a full export", path, err)
	}
	return s, nil
}

// CheckStateWritable makes sure the state file can be replaced before
// anything is exported: rows exported but not remembered would be exported
// again by the next run, and the run would not "change nothing" on failure.
func CheckStateWritable(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return cmdutil.FlagErrorf("--state %s cannot be written: %v", path, errors.Unwrap(err))
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

// WriteState replaces the state file atomically (temp file + rename), so
// a crash leaves either the old or the new state, never half of one.
func WriteState(path string, s State) error {
	b, _ := json.Marshal(s)
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("--state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
