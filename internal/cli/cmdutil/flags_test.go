package cmdutil

import (
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStringEnumFlag(t *testing.T) {
	tests := []struct {
		args    []string
		want    string
		wantErr string
	}{
		{nil, "table", ""},
		{[]string{"-o", "JSON"}, "json", ""},
		{[]string{"--output", "xml"}, "", `invalid argument "xml" for "-o, --output" flag: valid values are table, json`},
	}
	for _, tt := range tests {
		var got string
		cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
		cmd.SetFlagErrorFunc(FlagErrorFunc)
		f := StringEnumFlag(cmd, &got, "output", "o", "table", []string{"table", "json"}, "Output format")
		assert.Contains(t, f.Usage, "{table|json}")
		cmd.SetArgs(tt.args)
		_, err := cmd.ExecuteC()
		if tt.wantErr != "" {
			require.Error(t, err)
			assert.Equal(t, tt.wantErr, err.Error())
			assert.Equal(t, ExitUsage, ExitCode(err))
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
	}
}

func TestRefs(t *testing.T) {
	tests := []struct {
		fn      func(string) (string, error)
		arg     string
		want    string
		wantErr string
	}{
		{ProjectRef, "42", "42", ""},
		{ProjectRef, "p20260105.0001", "P20260105.0001", ""},
		{ProjectRef, "T20260105.0001", "", `invalid project "T20260105.0001": give its id (42) or its number (P20260105.0001)`},
		{ProjectRef, "0", "", "invalid project"},
		{ProjectRef, "../etc", "", "invalid project"},
		{TaskRef, "T20260105.0002", "T20260105.0002", ""},
		{TaskRef, "-3", "", "invalid task"},
		{func(s string) (string, error) { return IDArg(s, "attachment") }, "12", "12", ""},
		{func(s string) (string, error) { return IDArg(s, "attachment") }, "x", "", `invalid attachment id "x"`},
	}
	for _, tt := range tests {
		got, err := tt.fn(tt.arg)
		if tt.wantErr != "" {
			assert.ErrorContains(t, err, tt.wantErr)
			assert.Equal(t, ExitUsage, ExitCode(err))
			continue
		}
		assert.NoError(t, err)
		assert.Equal(t, tt.want, got)
	}
}

func TestArgsAndExclusive(t *testing.T) {
	cmd := &cobra.Command{Use: "view"}
	assert.NoError(t, ExactArgs(1, "give an id")(cmd, []string{"1"}))
	assert.EqualError(t, ExactArgs(1, "give an id")(cmd, nil), "give an id")
	assert.Equal(t, ExitUsage, ExitCode(ExactArgs(1, "x")(cmd, []string{"1", "2"})))
	assert.Equal(t, ExitUsage, ExitCode(NoArgs(cmd, []string{"1"})))
	assert.NoError(t, MutuallyExclusive("one of", true, false))
	assert.EqualError(t, MutuallyExclusive("only one of --a, --b", true, true), "only one of --a, --b")
}

func TestAuthCheckAnnotation(t *testing.T) {
	root := &cobra.Command{Use: "portalctl"}
	auth := &cobra.Command{Use: "auth"}
	login := &cobra.Command{Use: "login"}
	projects := &cobra.Command{Use: "projects"}
	root.AddCommand(auth, projects)
	auth.AddCommand(login)
	DisableAuthCheck(auth)
	assert.False(t, IsAuthCheckEnabled(login), "inherited from parent")
	assert.True(t, IsAuthCheckEnabled(projects))
	assert.False(t, IsAuthCheckEnabled(&cobra.Command{Use: cobra.ShellCompRequestCmd}))
}
