package output

import (
	"unicode/utf8"
)

// Text from the server (titles, subjects, descriptions, names) is written by
// other users, and a terminal runs the control characters in it: ESC starts
// sequences that clear the screen, retitle the window or write the
// clipboard (OSC 52), and C1's CSI (U+009B) does the same in one character.
// Like gh (go-gh's asciisanitizer), portalctl writes such characters in
// caret notation, so they are seen and do nothing:
//
//   - table and view (Sanitize): C0 controls but tab and newline, DEL, and
//     C1 controls become ^X (ESC ^[, BEL ^G, DEL ^?; C1 as the C0 character
//     it stands for, U+009B ^[, as gh writes it); CRLF becomes a newline;
//     bytes that are not UTF-8 become U+FFFD. Tables also turn tabs and
//     line breaks into spaces (one row, one line).
//   - TSV (escapeTSVTail): the same characters as \xHH (C0, DEL) or \u00HH
//     (C1), next to its \t \n \r \\ escapes; a literal backslash is
//     doubled, so the original text can still be restored.
//   - CSV (sanitizeCSVTail): caret notation like the terminal, except tab,
//     CR and LF, which CSV carries inside quotes; --raw keeps every byte.
//   - JSON on a terminal (escapeC1JSON): JSON escapes C0 already; DEL and
//     C1 are written \u007f and \u0080…\u009f, which decode to the same text.

// isC1 reports whether r is a C1 control character (U+0080–U+009F).
func isC1(r rune) bool { return r >= 0x80 && r <= 0x9f }

// needsSanitizing reports whether s has anything Sanitize changes, so that
// the common string is returned as it is, without a copy.
func needsSanitizing(s string, keepTabs bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n', c == '\t' && keepTabs:
		case c < 0x20 || c == 0x7f:
			return true
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || isC1(r) {
				return true
			}
			i += size - 1
		}
	}
	return false
}

// Sanitize makes s safe to print on a terminal: every control character
// but tab and newline is written in caret notation, CRLF becomes a
// newline, and invalid UTF-8 becomes U+FFFD.
func Sanitize(s string) string {
	if !needsSanitizing(s, true) {
		return s
	}
	return string(appendSanitized(nil, s, true))
}

// appendSanitized appends s to dst as Sanitize does; tabs are kept when
// keepTabs (the CSV writer keeps CR too, and never calls it with a CR).
func appendSanitized(dst []byte, s string, keepTabs bool) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n', c == '\t' && keepTabs:
				dst = append(dst, c)
			case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
				// CRLF: the newline that follows is kept.
			case c < 0x20:
				dst = append(dst, '^', c+'@')
			case c == 0x7f:
				dst = append(dst, '^', '?')
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = utf8.AppendRune(dst, utf8.RuneError)
		case isC1(r):
			dst = append(dst, '^', byte(r-0x80)+'@')
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// SanitizeJSON makes JSON text safe to print on a terminal, as the JSON
// writers here do (escapeC1JSON): the text it decodes to is unchanged.
func SanitizeJSON(b []byte) []byte { return escapeC1JSON(b) }

// escapeC1JSON writes the C1 characters (and DEL) of JSON text as
// \u0080…\u009f (\u007f). They can only be inside strings (JSON's own
// syntax is printable ASCII), where the escape decodes to the same text.
func escapeC1JSON(b []byte) []byte {
	i := 0
	for i < len(b) && !jsonC1At(b, i) {
		i++
	}
	if i == len(b) {
		return b
	}
	out := append([]byte(nil), b[:i]...)
	for ; i < len(b); i++ {
		switch {
		case b[i] == 0x7f:
			out = append(out, `\u007f`...)
		case jsonC1At(b, i):
			out = append(out, '\\', 'u', '0', '0', hexDigit(b[i+1]>>4), hexDigit(b[i+1]&0xf))
			i++
		default:
			out = append(out, b[i])
		}
	}
	return out
}

// jsonC1At reports whether b[i:] starts with DEL or a C1 character's UTF-8
// (0xC2 is only ever a lead byte; 0x80–0x9F after it is U+0080–U+009F).
func jsonC1At(b []byte, i int) bool {
	return b[i] == 0x7f || b[i] == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f
}

func hexDigit(n byte) byte { return "0123456789abcdef"[n] }
