package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/portalctl/portalctl/internal/mailaddr"
	"github.com/portalctl/portalctl/internal/store"
)

// deliver sends, over one SMTP connection, a copy of e to each recipient
// in pending (indexes into e.Deliveries), each copy its own transaction
// addressed to that recipient alone, and updates those deliveries: a copy
// the server took (250 after DATA) is sent; one refused with a 5xx failed
// for good; one refused with a 4xx keeps the reply and stays queued. taken
// is called after each copy the server took. When the session cannot
// start or breaks, the copies it did not send keep the error as their
// reply (and stay queued), and deliver returns it.
func (o *Outbox) deliver(ctx context.Context, e *store.Email, pending []int, taken func()) error {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	unsent := func(from int, err error) error {
		for _, i := range pending[from:] {
			if d := &e.Deliveries[i]; d.Status == store.EmailQueued {
				d.ReplyCode, d.Reply = 0, err.Error()
			}
		}
		return err
	}
	if o.fromErr != nil {
		return unsent(0, o.fromErr)
	}
	c, err := o.dial(ctx)
	if err != nil {
		return unsent(0, err)
	}
	defer c.Close()
	for n, i := range pending {
		d := &e.Deliveries[i]
		if err := mailaddr.Check(d.Address); err != nil {
			d.Status, d.ReplyCode, d.Reply = store.EmailFailed, 0, "not a valid address: "+err.Error()
			continue
		}
		msg, err := compose(o.from, *e, i, o.opt.Now())
		if err != nil {
			d.Status, d.ReplyCode, d.Reply = store.EmailFailed, 0, err.Error()
			continue
		}
		err = o.sendCopy(c, d.Address, msg)
		var reply *textproto.Error
		switch {
		case err == nil:
			sentAt := o.opt.Now().UTC()
			d.Status, d.ReplyCode, d.Reply, d.SentAt = store.EmailSent, 250, "", &sentAt
			taken()
		case errors.As(err, &reply):
			d.ReplyCode, d.Reply = reply.Code, strings.Join(strings.Fields(reply.Msg), " ")
			if reply.Code >= 500 {
				d.Status = store.EmailFailed
			}
			// The transaction this reply ended or left open is reset before
			// the next copy; a server that cannot even do that is gone.
			if err := c.Reset(); err != nil {
				return unsent(n+1, fmt.Errorf("RSET: %w", err))
			}
		default:
			// The connection broke (or timed out) without a reply; should the
			// server have taken this copy before, its answer is lost: it is
			// retried like the others.
			return unsent(n, err)
		}
	}
	// Every copy has its answer: QUIT only says goodbye, and a connection
	// dropped or timed out now must not count as a failure.
	c.Quit()
	return nil
}

// sendCopy runs one mail transaction: MAIL FROM with the bare sender
// address, RCPT TO, DATA.
func (o *Outbox) sendCopy(c *smtp.Client, to string, msg []byte) error {
	if err := c.Mail(o.from.Address); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	return w.Close()
}

// dial connects, upgrades to TLS when offered (or required) and logs in.
func (o *Outbox) dial(ctx context.Context) (*smtp.Client, error) {
	addr := net.JoinHostPort(o.cfg.Host, strconv.Itoa(o.cfg.Port))
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", addr, err)
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, o.cfg.Host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("greeting from %s: %w", addr, err)
	}
	fail := func(err error) (*smtp.Client, error) { c.Close(); return nil, err }
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := o.cfg.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: o.cfg.Host}
		}
		if err := c.StartTLS(cfg); err != nil {
			return fail(fmt.Errorf("STARTTLS with %s: %w", addr, err))
		}
	} else if o.cfg.StartTLS {
		return fail(fmt.Errorf("%s does not offer STARTTLS, which is required (--smtp-starttls)", addr))
	}
	if o.cfg.Username != "" {
		// PlainAuth refuses to send the password over an unencrypted
		// connection to anything but localhost.
		if err := c.Auth(smtp.PlainAuth("", o.cfg.Username, o.cfg.Password, o.cfg.Host)); err != nil {
			return fail(fmt.Errorf("SMTP login as %s: %w", o.cfg.Username, err))
		}
	}
	return c, nil
}
