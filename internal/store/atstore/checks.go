package atstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/portalctl/portalctl/internal/autotask"
)

// Setup checks what portald needs to exist in the tenant before it can
// sync and write: the picklist values it maps by label and the UDFs it
// reads. It returns one line per thing missing, saying exactly what to
// create (empty when all is there). Seven calls.
func (s *Store) Setup(ctx context.Context) ([]string, error) {
	return Setup(ctx, s.c, s.opt.UDFs, s.opt.NoteType)
}

// Setup is Store.Setup with the client, UDF names and note type label
// given ("" for the defaults).
func Setup(ctx context.Context, c *autotask.Client, udfNames UDFNames, noteType string) ([]string, error) {
	o := Options{UDFs: udfNames, NoteType: noteType}
	defaults(&o)
	var missing []string
	picks := map[string]picklists{}
	need := func(entity, field, label, create string) error {
		p, ok := picks[entity]
		if !ok {
			fields, err := c.Fields(ctx, entity)
			if err != nil {
				return upstream(err)
			}
			p = newPicklists(fields)
			picks[entity] = p
		}
		if _, ok := p.id(field, enumName(label)); !ok {
			missing = append(missing, fmt.Sprintf("%s %s %q: %s", entity, field, label, create))
		}
		return nil
	}
	checks := []struct{ entity, field, label, create string }{
		{"Projects", "projectType", "Client", "Autotask's project type Client is missing; portald shows Client projects only"},
		{"Tasks", "taskCategoryID", "Issue", "create a task category named Issue (portal issues are tasks of that category)"},
		{"Tasks", "status", "New", "Autotask's task status New is missing (new issues get it)"},
		{"Tasks", "status", "Complete", "Autotask's task status Complete is missing (completing a task sets it)"},
		{"ProjectNotes", "publish", "All Autotask Users", "the note publish value All Autotask Users is missing (the only notes customers see)"},
		{"ProjectNotes", "noteType", o.NoteType, "create a note type named " + o.NoteType + " (portal notes are filed as it), or pass the label of an existing one with --autotask-note-type"},
		{"TaskNotes", "noteType", o.NoteType, "create a note type named " + o.NoteType + " (portal task notes are filed as it)"},
		{"TicketNotes", "publish", "All Autotask Users", "the ticket note publish value All Autotask Users is missing (the only ticket notes customers see)"},
	}
	for _, c := range checks {
		if err := need(c.entity, c.field, c.label, c.create); err != nil {
			return nil, err
		}
	}
	udfs := []struct{ entity, name, holds string }{
		{"Projects", o.UDFs.TeamContacts, `the contacts on the project's team, as ",id,id,"`},
		{"Tasks", o.UDFs.Contact, "the id of the contact a task or issue is for"},
		{"Tasks", o.UDFs.CompletedBy, "the id of the contact who completed the task in the portal"},
	}
	defined := map[string][]autotask.Field{}
	for _, u := range udfs {
		if _, ok := defined[u.entity]; !ok {
			fields, err := c.UDFs(ctx, u.entity)
			if err != nil {
				return nil, upstream(err)
			}
			defined[u.entity] = fields
		}
		if !hasField(defined[u.entity], u.name) {
			missing = append(missing, fmt.Sprintf("%s UDF %q: create a text user-defined field named %s on %s holding %s",
				u.entity, u.name, u.name, u.entity, u.holds))
		}
	}
	return missing, nil
}

func hasField(fields []autotask.Field, name string) bool {
	for _, f := range fields {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}
