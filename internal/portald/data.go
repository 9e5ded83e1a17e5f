package portald

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/pkg/output"
	"github.com/spf13/cobra"
)

func newImport() *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "import FILE|-",
		Short: "Import portal data from a JSON file (all or nothing)",
		Long: heredoc.Doc(`
			Import portal data in the format of docs/data-format.md. The whole file is
			checked first: every problem is reported with its JSON path and nothing is
			written. A valid file is written in one transaction; records are upserted by
			id, so importing the same file twice gives the same database. Use - to read
			standard input.
		`),
		Example: "  portald import --db portal.db export-from-autotask.json",
		Args:    exactArgs(1, "a file name or -"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var in io.Reader = cmd.InOrStdin()
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			st, err := openDB(cmd.Context(), db)
			if err != nil {
				return err
			}
			defer st.Close()
			sum, err := dataset.Import(cmd.Context(), in, st, dataset.Options{})
			var problems *dataset.Problems
			if errors.As(err, &problems) {
				fmt.Fprintln(cmd.ErrOrStderr(), problems.Error())
				return fmt.Errorf("%s is invalid (%d problems); nothing was imported", args[0], len(problems.List)+problems.Dropped)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "imported %s into %s\n", summary(sum), dbName(db))
			return nil
		},
	}
	dbFlag(cmd, &db)
	return cmd
}

func summary(s dataset.Summary) string {
	parts := make([]string, 0, len(s))
	for _, k := range dataset.Kinds {
		if s[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", s[k], strings.ReplaceAll(k, "_", " ")))
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

func newExport() *cobra.Command {
	var db, out string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export all portal data as JSON (re-importable)",
		Long: heredoc.Doc(`
			Write every portal record in the import format. The output re-imports into an
			identical database (passwords travel as their bcrypt hashes). With -o the file
			is written to a temporary name and renamed when complete.
		`),
		Example: "  portald export --db portal.db -o backup.json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := openDB(cmd.Context(), db)
			if err != nil {
				return err
			}
			defer st.Close()
			if out == "" || out == "-" {
				return dataset.Export(cmd.Context(), st, cmd.OutOrStdout())
			}
			return writeAtomic(out, func(w io.Writer) error { return dataset.Export(cmd.Context(), st, w) })
		},
	}
	dbFlag(cmd, &db)
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return cmd
}

// writeAtomic writes path through output.AtomicWriter (a synced
// temporary file renamed into place, the directory synced) only when fill
// succeeded. The file holds password hashes, so only its owner reads it.
func writeAtomic(path string, fill func(io.Writer) error) error {
	f, err := output.AtomicFileMode(path, 0o600)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := fill(f); err != nil {
		return err
	}
	return f.Commit()
}

func newDemo() *cobra.Command {
	var db string
	var opt dataset.DemoOptions
	var force bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Fill a database with the built-in demo data",
		Long: heredoc.Doc(`
			Write the built-in demo data set into a database: organizations with
			sub-organizations, a billing organization with two end clients, completed,
			internal and end-client projects, and users of every kind, all with the
			password "demo":

			  ava (manager), adam (advanced), ben (basic), bob (basic, on no team),
			  nora (a level without permissions), sam (sub-organization), chloe (billing
			  organization), dora (disabled).

			--billing-items, --projects and --tickets add synthetic rows for load tests.
		`),
		Example: heredoc.Doc(`
			portald demo --db demo.db
			portald demo --db big.db --billing-items 1000000 --projects 10000
		`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opt.BillingItems < 0 || opt.Projects < 0 || opt.Tickets < 0 {
				return usageError{errors.New("--billing-items, --projects and --tickets must not be negative")}
			}
			st, err := openDB(cmd.Context(), db)
			if err != nil {
				return err
			}
			defer st.Close()
			empty, err := st.IsEmpty(cmd.Context())
			if err != nil {
				return err
			}
			if !empty && !force {
				return fmt.Errorf("%s already holds portal data; use another --db or add --force to overwrite the demo records", dbName(db))
			}
			pr, pw := io.Pipe()
			go func() { pw.CloseWithError(dataset.WriteDemo(pw, opt)) }()
			sum, err := dataset.Import(cmd.Context(), pr, st, dataset.Options{})
			pr.Close()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "demo data in %s: %s\nlog in as ava, adam, ben, bob, nora, sam or chloe with the password \"demo\"\n", dbName(db), summary(sum))
			return nil
		},
	}
	dbFlag(cmd, &db)
	cmd.Flags().IntVar(&opt.BillingItems, "billing-items", 0, "add `N` synthetic billing items billed to Fabrikam Partners")
	cmd.Flags().IntVar(&opt.Projects, "projects", 0, "add `M` synthetic Contoso Ltd projects")
	cmd.Flags().IntVar(&opt.Tickets, "tickets", 0, "add `K` synthetic Tailspin Dental tickets billed to Fabrikam Partners, with an item each")
	cmd.Flags().BoolVar(&force, "force", false, "write the demo records even if the database holds data")
	return cmd
}
