package portald

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/spf13/cobra"
)

func newOutbox() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "outbox",
		Short: "Inspect and retry recorded emails",
		Long:  "Every team email and notification is recorded in the outbox with its delivery status (queued, sent or failed).",
	}
	var db, status string
	list := &cobra.Command{
		Use:     "list",
		Short:   "List outbox emails",
		Example: "  portald outbox list --db portal.db --status failed",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch status {
			case "", store.EmailQueued, store.EmailSent, store.EmailFailed:
			default:
				return usageError{fmt.Errorf("--status %q: choose queued, sent or failed", status)}
			}
			return withDB(cmd, db, func(st database) error {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSTATUS\tATTEMPTS\tCREATED\tTO\tSUBJECT\tLAST ERROR")
				err := st.Emails(cmd.Context(), status, func(e store.Email) error {
					_, err := fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\n", e.ID, e.Status, e.Attempts, e.CreatedAt.Format(time.RFC3339),
						strings.Join(e.To, ","), e.Subject, e.LastError)
					return err
				})
				if err != nil {
					return err
				}
				return tw.Flush()
			})
		},
	}
	dbFlag(list, &db)
	list.Flags().StringVar(&status, "status", "", "only emails with this status: queued, sent or failed")
	var retryDB string
	var allFailed bool
	retry := &cobra.Command{
		Use:     "retry [ID]",
		Short:   "Queue an email (or every failed one) for another delivery attempt",
		Example: "  portald outbox retry --db portal.db 42\n  portald outbox retry --db portal.db --all-failed",
		RunE: func(cmd *cobra.Command, args []string) error {
			if allFailed == (len(args) == 1) || len(args) > 1 {
				return usageError{errors.New("give one email id or --all-failed")}
			}
			return withDB(cmd, retryDB, func(st database) error {
				var ids []int64
				if allFailed {
					st.Emails(cmd.Context(), store.EmailFailed, func(e store.Email) error { ids = append(ids, e.ID); return nil })
				} else {
					id, err := strconv.ParseInt(args[0], 10, 64)
					if err != nil {
						return usageError{fmt.Errorf("email id %q is not a number", args[0])}
					}
					ids = []int64{id}
				}
				for _, id := range ids {
					e, err := st.Email(cmd.Context(), id)
					if errors.Is(err, store.ErrNotFound) {
						return fmt.Errorf("no email %d in the outbox", id)
					} else if err != nil {
						return err
					}
					if e.Status == store.EmailSent {
						return fmt.Errorf("email %d was already sent", id)
					}
					e.Status, e.NextAttemptAt = store.EmailQueued, time.Now()
					if err := st.UpdateEmail(cmd.Context(), e); err != nil {
						return err
					}
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%d email(s) queued for delivery\n", len(ids))
				return nil
			})
		},
	}
	dbFlag(retry, &retryDB)
	retry.Flags().BoolVar(&allFailed, "all-failed", false, "retry every failed email")
	cmd.AddCommand(list, retry)
	return cmd
}
