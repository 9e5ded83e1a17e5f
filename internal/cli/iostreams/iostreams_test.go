package iostreams

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestColorWanted(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		tty  bool
		want bool
	}{
		{"terminal", nil, true, true},
		{"pipe", nil, false, false},
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, true, false},
		{"CLICOLOR=0", map[string]string{"CLICOLOR": "0"}, true, false},
		{"CLICOLOR_FORCE on a pipe", map[string]string{"CLICOLOR_FORCE": "1"}, false, true},
		{"NO_COLOR beats CLICOLOR_FORCE", map[string]string{"NO_COLOR": "1", "CLICOLOR_FORCE": "1"}, false, false},
		{"dumb terminal", map[string]string{"TERM": "dumb"}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			assert.Equal(t, tt.want, colorWanted(getenv, tt.tty))
		})
	}
}

func TestReadLine(t *testing.T) {
	ios, in, _, _ := Test()
	in.WriteString("secret-token\r\nrest")
	line, err := ios.ReadLine()
	assert.NoError(t, err)
	assert.Equal(t, "secret-token", line)
	rest, err := ios.ReadLine()
	assert.NoError(t, err)
	assert.Equal(t, "rest", rest)
	assert.False(t, ios.IsStdoutTTY())
}
