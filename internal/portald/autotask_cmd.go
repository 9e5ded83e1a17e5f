package portald

import (
	"fmt"
	"time"

	"github.com/MakeNowJust/heredoc"
	autotaskstore "github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/spf13/cobra"
)

// newAutotask is `portald autotask`: what portald needs of a tenant.
func newAutotask() *cobra.Command {
	cmd := &cobra.Command{Use: "autotask", Short: "Check an Autotask tenant for serve --store autotask"}
	var at autotaskFlags
	var noteType string
	check := &cobra.Command{
		Use:   "check",
		Short: "Check that the tenant has what portald needs, and ask it what no public source says",
		Long: heredoc.Doc(`
			Reads the Autotask tenant of the API user (read-only, about twenty calls) and
			prints: what portald needs that is missing (the Issue task category, the UDFs,
			the note type, picklist values), exactly what to create; then the answers to
			the questions no public source settles (docs/autotask.md: whether UDFs come
			back unnamed, how attachment queries and child reads answer, whether an or of
			two in lists of 500 is refused, how the thread limit counts child paths) and
			the picklists and Client Portal security level ids portald maps, for
			serve --autotask-security-levels.
		`),
		Example: "  AUTOTASK_USERNAME=… AUTOTASK_SECRET=… AUTOTASK_INTEGRATION_CODE=… portald autotask check",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			c, err := at.client(ctx, nil)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Autotask API: %s\n\nWhat portald needs:\n", c.BaseURL())
			missing, err := autotaskstore.Setup(ctx, c, autotaskstore.UDFNames{}, noteType)
			if err != nil {
				return fmt.Errorf("cannot read the tenant: %w", err)
			}
			if len(missing) == 0 {
				fmt.Fprintln(out, "  all there")
			}
			for _, m := range missing {
				fmt.Fprintln(out, "  missing: "+m)
			}
			fmt.Fprintln(out, "\nHow this tenant answers:")
			findings, err := autotaskstore.LiveCheck(ctx, c, autotaskstore.UDFNames{})
			if err != nil {
				return fmt.Errorf("cannot read the tenant: %w", err)
			}
			for _, f := range findings {
				fmt.Fprintf(out, "  %s\n    %s\n", f.Question, f.Answer)
			}
			return nil
		},
	}
	at.register(check)
	check.Flags().StringVar(&noteType, "autotask-note-type", "Client Portal Note", "the note type (by label) portal notes are filed as")
	cmd.AddCommand(check)
	return cmd
}

// newSync is `portald sync`: the synced copy of Autotask.
func newSync() *cobra.Command {
	cmd := &cobra.Command{Use: "sync", Short: "Show the synced copy of Autotask (serve --store autotask)"}
	var db string
	status := &cobra.Command{
		Use:     "status",
		Short:   "Show how old the copy is, the initial sync's progress and each entity's cursor",
		Example: "  portald sync status --db portal.db",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withDB(cmd, db, func(st database) error {
				local, ok := st.(autotaskstore.Local)
				if !ok {
					return fmt.Errorf("this database cannot hold a copy of Autotask")
				}
				s, err := autotaskstore.Status(cmd.Context(), local)
				if err != nil {
					return err
				}
				printStatus(cmd, s, time.Now())
				return nil
			})
		},
	}
	dbFlag(status, &db)
	cmd.AddCommand(status)
	return cmd
}

func printStatus(cmd *cobra.Command, s autotaskstore.SyncStatus, now time.Time) {
	out := cmd.OutOrStdout()
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return fmt.Sprintf("%s (%s ago)", t.UTC().Format(time.RFC3339), now.Sub(t).Round(time.Second))
	}
	fmt.Fprintf(out, "copy as of:      %s\n", stamp(s.AsOf))
	fmt.Fprintf(out, "last pass:       %s\n", stamp(s.LastAttempt))
	if s.LastError != "" {
		fmt.Fprintf(out, "last error:      %s\n", s.LastError)
	}
	if s.InitialDone.IsZero() {
		fmt.Fprintln(out, "initial sync:    in progress")
	} else {
		fmt.Fprintf(out, "initial sync:    done %s\n", s.InitialDone.UTC().Format(time.RFC3339))
	}
	if s.Lease != "" {
		fmt.Fprintf(out, "lease (SQLite):  %s\n", s.Lease)
	}
	fmt.Fprintln(out, "entities:")
	for _, e := range autotaskstore.Entities(s.Cursors) {
		fmt.Fprintf(out, "  %-24s cursor %s", e, s.Cursors[e])
		if n := s.Later[e]; n > 0 {
			fmt.Fprintf(out, ", %d waiting for their parent", n)
		}
		fmt.Fprintln(out)
	}
	for _, e := range autotaskstore.Entities(s.Initial) {
		if s.Initial[e] != "done" {
			fmt.Fprintf(out, "  %-24s initial sync at id %s\n", e, s.Initial[e])
		}
	}
}
