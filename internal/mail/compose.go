package mail

import (
	"bytes"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"

	"github.com/portalctl/portalctl/internal/mailaddr"
	"github.com/portalctl/portalctl/internal/store"
)

// compose renders recipient i's copy of e as an RFC 5322 message with
// go-message: every header is formatted by it (addresses by net/mail,
// the subject as RFC 2047 encoded words) and folded at 76 characters
// where the value has a space to fold at, never past 998; the body is
// UTF-8 plain text, quoted-printable, whose writer turns LF, CRLF and a
// lone CR each into one CRLF. A header value holding CR or LF is refused
// by go-message rather than written, so nothing can add a header line.
func compose(from *netmail.Address, e store.Email, i int, now time.Time) ([]byte, error) {
	var h gomail.Header
	h.SetAddressList("From", []*gomail.Address{from})
	h.SetAddressList("To", []*gomail.Address{{Address: e.Deliveries[i].Address}})
	// A reply-to address that is not one (from an Autotask record or a
	// database older than the import checks) is left out: the email still
	// goes, without it.
	if e.ReplyTo != "" && mailaddr.Check(e.ReplyTo) == nil {
		h.SetAddressList("Reply-To", []*gomail.Address{{Address: e.ReplyTo}})
	}
	h.SetSubject(e.Subject)
	h.SetDate(now)
	h.SetMessageID(messageID(from, e, i))
	h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	var b bytes.Buffer
	w, err := message.CreateWriter(&b, h.Header)
	if err != nil {
		return nil, fmt.Errorf("email %d: %w", e.ID, err)
	}
	if _, err := w.Write([]byte(e.Body)); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// messageID names recipient i's copy of e the same way on every attempt,
// so that a mail reader can tell a copy sent twice (after a connection was
// lost before the server's answer) for the one it already has.
func messageID(from *netmail.Address, e store.Email, i int) string {
	domain := from.Address[strings.LastIndex(from.Address, "@")+1:]
	return fmt.Sprintf("portal.%d.%d.%d@%s", e.ID, i, e.CreatedAt.Unix(), domain)
}
