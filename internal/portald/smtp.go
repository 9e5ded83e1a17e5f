package portald

import (
	"context"
	"log/slog"
	"time"

	"github.com/portalctl/portalctl/internal/mail"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/spf13/cobra"
)

// smtpFlags are the mail settings of `portald serve`.
type smtpFlags struct {
	host, username, password, from string
	port                           int
	startTLS                       bool
	// Retry tuning: hidden, for fault drills and the e2e tests, which
	// cannot wait out the production backoff.
	retryBase, poll time.Duration
	maxAttempts     int
}

func (s *smtpFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&s.host, "smtp-host", "", "SMTP server for team emails and notifications (none: keep them in the outbox)")
	f.IntVar(&s.port, "smtp-port", 587, "SMTP port")
	f.StringVar(&s.username, "smtp-username", "", "SMTP user name")
	f.StringVar(&s.password, "smtp-password", "", "SMTP password (prefer PORTALD_SMTP_PASSWORD: flags show in ps)")
	f.StringVar(&s.from, "smtp-from", "", "sender of portal emails: portal@example.com or 'Portal <portal@example.com>' (the SMTP envelope takes the bare address)")
	f.BoolVar(&s.startTLS, "smtp-starttls", true, "require STARTTLS")
	f.DurationVar(&s.retryBase, "smtp-retry-base", 30*time.Second, "wait after a failed delivery, doubling with each attempt")
	f.DurationVar(&s.poll, "smtp-poll", 5*time.Second, "how often the outbox looks for emails due for another attempt")
	f.IntVar(&s.maxAttempts, "smtp-max-attempts", 10, "delivery attempts before an email is marked failed")
	for _, name := range []string{"smtp-retry-base", "smtp-poll", "smtp-max-attempts"} {
		f.MarkHidden(name)
	}
}

// outbox returns the portal's outbox and its retry worker. Without
// --smtp-host every email is still recorded (queued) and never sent.
func (s *smtpFlags) outbox(st mail.Store, logger *slog.Logger) (portal.Outbox, func(context.Context)) {
	if s.host == "" {
		logger.Info("no --smtp-host: team emails and notifications are kept in the outbox (portald outbox list)")
	}
	out := mail.New(st, mail.SMTPConfig{Host: s.host, Port: s.port, Username: s.username, Password: s.password,
		From: s.from, StartTLS: s.startTLS}, mail.Options{Logger: logger, RetryBase: s.retryBase, PollInterval: s.poll, MaxAttempts: s.maxAttempts})
	return out, out.Run
}
