package portald

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/portalctl/portalctl/internal/mail"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/output"
	"github.com/spf13/cobra"
)

func newOutbox() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "outbox",
		Short: "Inspect and retry recorded emails",
		Long: heredoc.Doc(`
			Every team email and notification is recorded in the outbox. Each recipient gets
			a copy of their own, delivered and retried on its own: an email is queued while
			a copy is still to be sent, then sent (every recipient has it), partial (some
			have it; the mail server refused the others for good) or failed (nobody has it).
		`),
	}
	var db, status string
	list := &cobra.Command{
		Use:   "list",
		Short: "List outbox emails, one line per recipient",
		Long: heredoc.Doc(`
			List outbox emails with each recipient's copy on a line of its own: sent, queued
			(with the mail server's last reply when it refused it for now) or failed (with
			its reply: a 5xx, an address that is not valid, or the attempts ran out). Text
			from users (subjects) and from mail servers is printed with control characters
			made visible (^[), so it cannot drive the terminal.
		`),
		Example: "  portald outbox list --db portal.db --status failed",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch status {
			case "", store.EmailQueued, store.EmailSent, store.EmailPartial, store.EmailFailed:
			default:
				return usageError{fmt.Errorf("--status %q: choose queued, sent, partial or failed", status)}
			}
			return withDB(cmd, db, func(st database) error {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSTATUS\tATTEMPTS\tCREATED\tSUBJECT\tRECIPIENT\tDELIVERY")
				err := st.Emails(cmd.Context(), status, func(e store.Email) error {
					return writeOutboxRows(tw, e)
				})
				if err != nil {
					return err
				}
				return tw.Flush()
			})
		},
	}
	dbFlag(list, &db)
	list.Flags().StringVar(&status, "status", "", "only emails with this status: queued, sent, partial or failed")
	var retryDB string
	var allFailed bool
	retry := &cobra.Command{
		Use:   "retry [ID]",
		Short: "Queue an email's failed copies (or every email's) for more delivery attempts",
		Long: heredoc.Doc(`
			Queue the copies of an email that failed (refused for good, or out of attempts)
			for another round of attempts, for instance once the mail server or an address
			is fixed. Recipients who have the email are never sent it again.
		`),
		Example: "  portald outbox retry --db portal.db 42\n  portald outbox retry --db portal.db --all-failed",
		RunE: func(cmd *cobra.Command, args []string) error {
			if allFailed == (len(args) == 1) || len(args) > 1 {
				return usageError{errors.New("give one email id or --all-failed")}
			}
			return withDB(cmd, retryDB, func(st database) error {
				var ids []int64
				if allFailed {
					for _, status := range []string{store.EmailFailed, store.EmailPartial} {
						err := st.Emails(cmd.Context(), status, func(e store.Email) error { ids = append(ids, e.ID); return nil })
						if err != nil {
							return err
						}
					}
				} else {
					id, err := strconv.ParseInt(args[0], 10, 64)
					if err != nil {
						return usageError{fmt.Errorf("email id %q is not a number", args[0])}
					}
					ids = []int64{id}
				}
				copies := 0
				for _, id := range ids {
					e, err := st.Email(cmd.Context(), id)
					if errors.Is(err, store.ErrNotFound) {
						return fmt.Errorf("no email %d in the outbox", id)
					} else if err != nil {
						return err
					}
					switch e.Status {
					case store.EmailSent:
						return fmt.Errorf("email %d was already sent to every recipient", id)
					case store.EmailQueued:
						// Not moved forward: it may be in the middle of an attempt.
						return fmt.Errorf("email %d is still queued: the outbox tries it again on its own (next at %s)",
							id, e.NextAttemptAt.Format(time.RFC3339))
					}
					copies += mail.Requeue(&e, time.Now())
					if err := st.UpdateEmail(cmd.Context(), e); err != nil {
						return err
					}
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%d email(s) queued for delivery (%d recipient(s))\n", len(ids), copies)
				return nil
			})
		},
	}
	dbFlag(retry, &retryDB)
	retry.Flags().BoolVar(&allFailed, "all-failed", false, "retry every failed email")
	cmd.AddCommand(list, retry)
	return cmd
}

// writeOutboxRows writes an email's line and one line per recipient (the
// email's first recipient on its own line). What users and mail servers
// wrote is printed with control characters made visible.
func writeOutboxRows(tw io.Writer, e store.Email) error {
	for i, d := range e.Deliveries {
		cells := "\t\t\t\t"
		if i == 0 {
			cells = fmt.Sprintf("%s\t%d\t%s\t%s\t", e.Status, e.Attempts, e.CreatedAt.Format(time.RFC3339), oneLine(e.Subject))
		}
		delivery := d.Status
		if reply := mail.ReplyText(d); d.Status != store.EmailSent && reply != "" {
			delivery += ": " + reply
		}
		if _, err := fmt.Fprintf(tw, "%d\t%s%s\t%s\n", e.ID, cells, oneLine(d.Address), oneLine(delivery)); err != nil {
			return err
		}
	}
	return nil
}

// oneLine keeps a cell on its line and inert on a terminal: tabs and line
// breaks become spaces, other control characters caret notation.
func oneLine(s string) string {
	return output.Sanitize(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s))
}
