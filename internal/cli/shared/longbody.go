package shared

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// headShare is the part of a cut body kept from its start; the rest of the
// room goes to its end, where a failing build log says what failed.
const headShare = 4

// FitBody returns text as it is when it has at most max characters, or its
// first and last lines with a marker line between them saying how much was
// cut and where the whole text is (note). The result has at most max
// characters; cuts fall on line ends when there are any.
func FitBody(text string, max int, note string) (string, bool) {
	total := utf8.RuneCountInString(text)
	if total <= max {
		return text, false
	}
	// The marker's own length depends on the numbers in it; leave room for
	// the largest they can be.
	room := max - utf8.RuneCountInString(marker(total, total, note)) - 2
	headRoom := room / headShare
	head := cutRunes(text, headRoom, true)
	tail := cutRunes(text, room-utf8.RuneCountInString(head), false)
	cut := text[len(head) : len(text)-len(tail)]
	return strings.TrimRight(head, "\n") + "\n" + marker(strings.Count(cut, "\n"), utf8.RuneCountInString(cut), note) + "\n" +
		strings.TrimLeft(tail, "\n"), true
}

func marker(lines, chars int, note string) string {
	return fmt.Sprintf("[… %s lines (%s characters) cut here by portalctl: %s …]", thousands(int64(lines)), thousands(int64(chars)), note)
}

// cutRunes returns the first (fromStart) or last n characters of s, ending
// (or starting) at a line boundary when one is in that part.
func cutRunes(s string, n int, fromStart bool) string {
	if n <= 0 {
		return ""
	}
	if fromStart {
		i := 0
		for k := 0; k < n && i < len(s); k++ {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		part := s[:i]
		if j := strings.LastIndexByte(part, '\n'); j > 0 {
			part = part[:j+1]
		}
		return part
	}
	i := len(s)
	for k := 0; k < n && i > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	part := s[i:]
	if j := strings.IndexByte(part, '\n'); j >= 0 && j < len(part)-1 {
		part = part[j+1:]
	}
	return part
}
