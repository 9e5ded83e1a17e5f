package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// compose renders an email as an RFC 5322 message: UTF-8 plain text,
// quoted-printable body, encoded subject.
func compose(from string, e store.Email, now time.Time) (io.Reader, error) {
	if _, err := mail.ParseAddress(from); err != nil {
		return nil, fmt.Errorf("sender address %q is not valid (--smtp-from): %w", from, err)
	}
	var b bytes.Buffer
	id := make([]byte, 12)
	rand.Read(id)
	domain := from[strings.LastIndex(from, "@")+1:]
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from)
	header("To", strings.Join(e.To, ", "))
	if e.ReplyTo != "" {
		header("Reply-To", e.ReplyTo)
	}
	header("Subject", mime.QEncoding.Encode("utf-8", e.Subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", fmt.Sprintf("<portal-%d-%s@%s>", e.ID, hex.EncodeToString(id), strings.Trim(domain, ">")))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(e.Body, "\n", "\r\n")))
	qp.Close()
	return &b, nil
}
