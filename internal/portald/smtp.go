package portald

import (
	"context"
	"log/slog"

	"github.com/portalctl/portalctl/internal/mail"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/spf13/cobra"
)

// smtpFlags are the mail settings of `portald serve`.
type smtpFlags struct {
	host, username, password, from string
	port                           int
	startTLS                       bool
}

func (s *smtpFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&s.host, "smtp-host", "", "SMTP server for team emails and notifications (none: keep them in the outbox)")
	f.IntVar(&s.port, "smtp-port", 587, "SMTP port")
	f.StringVar(&s.username, "smtp-username", "", "SMTP user name")
	f.StringVar(&s.password, "smtp-password", "", "SMTP password (prefer PORTALD_SMTP_PASSWORD: flags show in ps)")
	f.StringVar(&s.from, "smtp-from", "", "sender address of portal emails")
	f.BoolVar(&s.startTLS, "smtp-starttls", true, "require STARTTLS")
}

// outbox returns the portal's outbox and its retry worker. Without
// --smtp-host every email is still recorded (queued) and never sent.
func (s *smtpFlags) outbox(st store.Store, logger *slog.Logger) (portal.Outbox, func(context.Context)) {
	if s.host == "" {
		logger.Info("no --smtp-host: team emails and notifications are kept in the outbox (portald outbox list)")
	}
	out := mail.New(st, mail.SMTPConfig{Host: s.host, Port: s.port, Username: s.username, Password: s.password,
		From: s.from, StartTLS: s.startTLS}, mail.Options{Logger: logger})
	return out, out.Run
}
