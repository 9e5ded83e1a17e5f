// Package mailaddr checks email addresses where they enter portald (an
// import, Autotask, --smtp-from) and again where they leave it (SMTP
// commands and headers), with net/mail: an address that reaches a header
// must be exactly one mailbox, so that nothing in it can add a line.
package mailaddr

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// MaxLen is the longest address SMTP carries (RFC 5321 4.5.3.1.3: a path
// of 256 octets, angle brackets included).
const MaxLen = 254

// Check reports why s is not a bare address ("name@example.com", no
// display name, angle brackets, comments or spaces), or nil. Data records
// hold bare addresses; the display name comes from the record's name.
func Check(s string) error {
	if strings.ContainsAny(s, "\r\n") {
		return errors.New("holds a line break")
	}
	if len(s) > MaxLen {
		return fmt.Errorf("too long: %d bytes (at most %d)", len(s), MaxLen)
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return fmt.Errorf("not an email address (%s)", strings.TrimPrefix(err.Error(), "mail: "))
	}
	if a.Name != "" || a.Address != s {
		return fmt.Errorf("give the bare address (%s), without a name or brackets", a.Address)
	}
	return nil
}

// ParseSender parses the sender setting (--smtp-from): a bare address or
// "Name <address>". The SMTP envelope takes the address alone, the From
// header the whole (encoded by net/mail).
func ParseSender(s string) (*mail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("holds a line break")
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("not an email address (%s); give one like portal@example.com or 'Portal <portal@example.com>'",
			strings.TrimPrefix(err.Error(), "mail: "))
	}
	if err := Check(a.Address); err != nil {
		return nil, err
	}
	return a, nil
}
