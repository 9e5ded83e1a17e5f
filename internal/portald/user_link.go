package portald

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/atstore"
	"github.com/spf13/cobra"
)

// linkOptions are the flags of `portald user link`.
type linkOptions struct {
	db, username, level, timeZone string
	contactID                     int64
	passwordStdin, disabled       bool
	at                            autotaskFlags
}

// newUserLink overrides, for one contact, the portal access the copy of
// Autotask takes from ClientPortalUsers.
func newUserLink() *cobra.Command {
	var o linkOptions
	cmd := &cobra.Command{
		Use:   "link",
		Short: "Override an Autotask contact's portal login (with --store autotask)",
		Long: heredoc.Doc(`
			With serve --store autotask, who may use the portal and at which security level
			comes from Autotask's Client Portal users (ClientPortalUsers), synced into --db.
			user link overrides that for one contact: the username, security level and
			whether the login is enabled are kept in --db and win over Autotask's at every
			sync, and the contact (read from Autotask now) can sign in at once. Linking
			again updates the override and keeps the password unless a new one is given;
			a new password revokes every token the contact holds, as set-password does.
			Contacts can also sign in with a one-time code sent to their own email address
			(portalctl auth login --email), without any password.
		`),
		Example: heredoc.Doc(`
			portald user link --db portal.db --contact-id 29684 --username ben --security-level basic
			printf '%s' "$PW" | portald user link --db portal.db --contact-id 29684 --username ben --password-stdin
		`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return linkUser(cmd, o) },
	}
	f := cmd.Flags()
	dbFlag(cmd, &o.db)
	f.Int64Var(&o.contactID, "contact-id", 0, "Autotask contact id")
	f.StringVar(&o.username, "username", "", "portal username (unique, case-insensitive)")
	f.StringVar(&o.level, "security-level", "basic", "basic, advanced, manager, or a custom level defined in --db")
	f.StringVar(&o.timeZone, "time-zone", "", "IANA time zone of the contact's company (default: kept, else America/New_York)")
	f.BoolVar(&o.passwordStdin, "password-stdin", false, "read a password from standard input (else keep it, or set one later with user set-password)")
	f.BoolVar(&o.disabled, "disabled", false, "link the login but do not let it sign in")
	o.at.register(cmd)
	return cmd
}

func linkUser(cmd *cobra.Command, o linkOptions) error {
	if o.contactID <= 0 || o.username == "" {
		return usageError{errors.New("--contact-id and --username are required")}
	}
	if o.timeZone != "" {
		if _, err := time.LoadLocation(o.timeZone); err != nil {
			return usageError{fmt.Errorf("--time-zone %q is not an IANA time zone (like America/Chicago)", o.timeZone)}
		}
	}
	var hash string
	if o.passwordStdin {
		h, err := newPasswordHash(cmd, true)
		if err != nil {
			return err
		}
		hash = h
	}
	ctx := cmd.Context()
	return withDB(cmd, o.db, func(st database) error {
		// What the local database can refuse is checked before Autotask is asked.
		if err := checkLevel(ctx, st, o.level); err != nil {
			return err
		}
		if taken, err := st.ContactByUsername(ctx, o.username); err == nil && taken.ID != o.contactID {
			return fmt.Errorf("the username %q is already linked to contact %d; choose another", o.username, taken.ID)
		}
		local, ok := st.(atstore.Local)
		if !ok {
			return errors.New("this database cannot hold a copy of Autotask")
		}
		client, err := o.at.client(ctx, nil)
		if err != nil {
			return err
		}
		contact, company, err := autotaskContact(ctx, client, o.contactID)
		if err != nil {
			return err
		}
		err = atstore.Link(ctx, local, contact, company, atstore.Override{ContactID: o.contactID,
			Username: o.username, SecurityLevel: o.level, Enabled: !o.disabled, TimeZone: o.timeZone})
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "linked %s to Autotask contact %d (%s %s, %s)\n", o.username, contact.ID,
			contact.FirstName, contact.LastName, company.Name)
		if hash == "" {
			return nil
		}
		// A new password ends the old one's sessions, as set-password does.
		revoked, err := st.ResetPassword(ctx, o.contactID, hash, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "password of %s updated; %d token(s) revoked\n", o.username, revoked)
		return nil
	})
}

func checkLevel(ctx context.Context, st database, level string) error {
	switch level {
	case "basic", "advanced", "manager":
		return nil
	}
	if _, err := st.SecurityLevelPermissions(ctx, level); errors.Is(err, store.ErrNotFound) {
		return usageError{fmt.Errorf("--security-level %q: choose basic, advanced, manager, or a custom level imported into --db", level)}
	} else if err != nil {
		return err
	}
	return nil
}

// autotaskContact reads the contact to link and its company.
func autotaskContact(ctx context.Context, c *autotask.Client, id int64) (store.Contact, store.Organization, error) {
	contact, company, err := atstore.LinkTarget(ctx, c, id)
	if errors.Is(err, store.ErrNotFound) {
		return contact, company, fmt.Errorf("no Autotask contact has id %d; find the id on the contact's page in Autotask", id)
	} else if err != nil {
		return contact, company, fmt.Errorf("cannot read Autotask contact %d: %w", id, err)
	}
	return contact, company, nil
}
