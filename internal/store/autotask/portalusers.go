package autotask

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
)

// Who may use the portal, and at which security level, is Autotask's
// ClientPortalUsers: a contact with an active Client Portal login. It has
// no last-change field and revoked access must end at the next pass, so it
// is read whole every pass (one call per 500 portal users) and the access
// of every contact is set from it in one transaction. `portald user link`
// records overrides (autotask_user_overrides) applied on top.
func (p *pass) portalUsers(ctx context.Context) error {
	var users []atPortalUser
	err := p.y.c.Query(ctx, "ClientPortalUsers", at.Query{IncludeFields: portalUserFields}, func(item at.Item) error {
		u, err := decode[atPortalUser]("ClientPortalUsers", item)
		users = append(users, u)
		return err
	})
	if err != nil {
		return upstream(err)
	}
	return p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
		access := map[int64]sqlstore.PortalAccess{}
		for _, u := range users {
			access[u.ContactID] = sqlstore.PortalAccess{ContactID: u.ContactID, Username: strings.TrimSpace(u.UserName),
				SecurityLevel: p.level(int64(u.SecurityLevel)), Enabled: u.IsClientPortalActive}
		}
		if err := applyOverrides(m, access); err != nil {
			return err
		}
		ids := make([]int64, 0, len(access))
		for id := range access {
			ids = append(ids, id)
		}
		exists, err := m.Existing("contacts", ids)
		if err != nil {
			return err
		}
		var list []sqlstore.PortalAccess
		taken := map[string]int64{}
		for _, id := range ids {
			a := access[id]
			if !exists[id] {
				continue // the contact comes with a later pass
			}
			if other, dup := taken[strings.ToLower(a.Username)]; dup && a.Username != "" {
				p.y.log.Warn("autotask sync: two portal users have one user name; the second gets no login",
					"username", a.Username, "contact", id, "other_contact", other)
				a.Username, a.Enabled = "", false
			}
			if a.Username != "" {
				taken[strings.ToLower(a.Username)] = id
			}
			list = append(list, a)
		}
		return m.SetPortalAccess(list)
	})
}

// applyOverrides lays portald user link's settings over Autotask's.
func applyOverrides(m *sqlstore.MirrorTx, access map[int64]sqlstore.PortalAccess) error {
	return m.Query(`SELECT contact_id, username, security_level, portal_enabled FROM autotask_user_overrides`, nil,
		func(r sqlstore.Row) error {
			var id int64
			var username, level sql.NullString
			var enabled sql.NullBool
			if err := r.Scan(&id, &username, &level, &enabled); err != nil {
				return err
			}
			a, ok := access[id]
			if !ok {
				a = sqlstore.PortalAccess{ContactID: id, SecurityLevel: "basic", Enabled: true}
			}
			if username.Valid {
				a.Username = username.String
			}
			if level.Valid {
				a.SecurityLevel = level.String
			}
			if enabled.Valid {
				a.Enabled = enabled.Bool
			}
			access[id] = a
			return nil
		})
}

// level maps a ClientPortalUsers securityLevel to a portal level: by
// Options.SecurityLevels, else by the picklist's label when Autotask's
// metadata has one. An unmapped value names a level no database defines,
// which grants nothing (portald autotask check lists the values in use).
func (p *pass) level(id int64) string {
	if name, ok := p.y.s.opt.SecurityLevels[id]; ok {
		return name
	}
	if label := p.picks["ClientPortalUsers"].name("securityLevel", pickID(id)); label != "" {
		return label
	}
	return "autotask-level-" + strconv.FormatInt(id, 10)
}
