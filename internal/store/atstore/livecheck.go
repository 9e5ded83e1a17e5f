package atstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/portalctl/portalctl/internal/autotask"
)

// Finding is what a tenant answered to one question no public source
// settles (findings 2026-12-autotask §8): each needs one live call.
type Finding struct {
	Question, Answer string
}

// LiveCheck asks them, read-only (a dozen calls), and reports the answers.
// §8's first question (a project note without isAnnouncement) needs a
// write and is left out: portald always sends the field.
func LiveCheck(ctx context.Context, c *autotask.Client, u UDFNames) ([]Finding, error) {
	o := Options{UDFs: u}
	defaults(&o)
	var out []Finding
	add := func(q, a string) { out = append(out, Finding{q, a}) }

	// 2: UDFs with IncludeFields that does not name them.
	st, body, err := c.Raw(ctx, "POST", "Tasks/query", map[string]any{"MaxRecords": 1, "IncludeFields": []string{"id", "title"},
		"filter": []any{map[string]any{"op": "exist", "field": o.UDFs.Contact, "udf": true}}})
	if err != nil {
		return nil, err
	}
	add("Tasks/query with IncludeFields [id, title], on a task with a "+o.UDFs.Contact+" value: are its UDFs returned?",
		udfAnswer(st, body))

	// 3-5: attachments.
	att, project, err := someAttachment(ctx, c)
	if err != nil {
		return nil, err
	}
	if att == 0 {
		add("attachment questions", "no project of the first 500 has an attachment; add one to ask")
	} else {
		st, body, err = c.Raw(ctx, "POST", "ProjectAttachments/query", map[string]any{"IncludeFields": []string{"id", "fileSize"},
			"filter": []any{map[string]any{"op": "eq", "field": "projectID", "value": project}}})
		if err != nil {
			return nil, err
		}
		add("ProjectAttachments/query with fileSize in IncludeFields: refused, or which JSON type?", answer(st, body, "fileSize"))
		st, body, err = c.Raw(ctx, "POST", "ProjectAttachments/query", map[string]any{
			"filter": []any{map[string]any{"op": "eq", "field": "id", "value": att}}})
		if err != nil {
			return nil, err
		}
		add("ProjectAttachments/query by id alone (no parent): refused?", answer(st, body, ""))
		st, body, err = c.Raw(ctx, "GET", fmt.Sprintf("Projects/%d/Attachments/%d", project, att), nil)
		if err != nil {
			return nil, err
		}
		add(fmt.Sprintf("GET Projects/%d/Attachments/%d: is items a list or an object?", project, att), itemsShape(st, body))
	}

	// 6: an or of two in lists of 500.
	ids := make([]int64, 500)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	st, body, err = c.Raw(ctx, "POST", "Tasks/query", map[string]any{"MaxRecords": 1, "IncludeFields": []string{"id"},
		"filter": []any{map[string]any{"op": "or", "items": []any{
			map[string]any{"op": "in", "field": "id", "value": ids}, map[string]any{"op": "in", "field": "projectID", "value": ids}}}}})
	if err != nil {
		return nil, err
	}
	add("Tasks/query with an or of two in lists of 500 values: refused?", answer(st, body, ""))

	// 7: the thread limit's buckets.
	add("3 × Projects/query and 3 × GET Projects/{id}/Tasks at once (3 rounds): refused past 3 in one bucket per first path segment?",
		concurrent(ctx, c, project))

	// 8 and what portald maps by label or id.
	for _, f := range []struct{ entity, field string }{{"BillingItems", "billingItemType"}, {"ProjectNotes", "noteType"},
		{"Tasks", "taskCategoryID"}, {"Tickets", "priority"}, {"TicketNotes", "publish"}, {"ClientPortalUsers", "securityLevel"}} {
		labels, err := pickLabels(ctx, c, f.entity, f.field)
		if err != nil {
			return nil, err
		}
		add(f.entity+"."+f.field+" picklist", labels)
	}
	levels, err := levelsInUse(ctx, c)
	if err != nil {
		return nil, err
	}
	add("ClientPortalUsers securityLevel values in use (map them with --autotask-security-levels)", levels)
	return out, nil
}

// answer is "200", or the status and Autotask's message, plus the JSON
// type of field in the first item when asked.
func answer(status int, body []byte, field string) string {
	if status != 200 {
		return fmt.Sprintf("refused: %d %s", status, oneLine(string(body)))
	}
	if field == "" {
		return "accepted (200)"
	}
	var page struct{ Items []map[string]json.RawMessage }
	json.Unmarshal(body, &page)
	if len(page.Items) == 0 {
		return "accepted (200), no item"
	}
	return fmt.Sprintf("accepted (200); %s = %s", field, page.Items[0][field])
}

func udfAnswer(status int, body []byte) string {
	if status != 200 {
		return fmt.Sprintf("refused: %d %s", status, oneLine(string(body)))
	}
	var page struct{ Items []map[string]json.RawMessage }
	json.Unmarshal(body, &page)
	switch {
	case len(page.Items) == 0:
		return "no task has a value in it; set one to ask"
	case page.Items[0]["userDefinedFields"] == nil:
		return "no: userDefinedFields is left out (portald names its UDFs in IncludeFields)"
	}
	return "yes: " + string(page.Items[0]["userDefinedFields"])
}

func itemsShape(status int, body []byte) string {
	if status != 200 {
		return fmt.Sprintf("refused: %d %s", status, oneLine(string(body)))
	}
	i := strings.Index(string(body), `"items"`)
	rest := strings.TrimLeft(string(body)[i+len(`"items"`):], " :\n\t")
	switch {
	case i < 0:
		return "no items key: " + oneLine(string(body))
	case strings.HasPrefix(rest, "["):
		return "a list"
	}
	return "an object"
}

// someAttachment finds an attachment of one of the first 500 projects.
func someAttachment(ctx context.Context, c *autotask.Client) (id, project int64, err error) {
	var projects []int64
	err = c.Query(ctx, "Projects", autotask.Query{IncludeFields: []string{"id"}}, func(item autotask.Item) error {
		if len(projects) == batchSize {
			return errEnough
		}
		r, err := decode[struct{ ID int64 }]("Projects", item)
		projects = append(projects, r.ID)
		return err
	})
	if err != nil && !errors.Is(err, errEnough) {
		return 0, 0, upstream(err)
	}
	if len(projects) == 0 {
		return 0, 0, nil
	}
	err = c.Query(ctx, "ProjectAttachments", autotask.Query{MaxRecords: 1, Filter: []autotask.Filter{autotask.In("projectID", projects)}},
		func(item autotask.Item) error {
			a, err := decode[atAttachment]("ProjectAttachments", item)
			if err != nil {
				return err
			}
			id, project = a.ID, a.ProjectID
			return errEnough
		})
	if err != nil && !errors.Is(err, errEnough) {
		return 0, 0, upstream(err)
	}
	return id, project, nil
}

var errEnough = errors.New("enough")

// concurrent fires 3 Projects/query and 3 GET Projects/{id}/Tasks at
// once, three times, and counts the refusals of each: with one bucket per
// first path segment some are refused (Itgenatr005), with one per path
// none are.
func concurrent(ctx context.Context, c *autotask.Client, project int64) string {
	var mu sync.Mutex
	refused := map[string]int{}
	var sample string
	q := map[string]any{"filter": []any{map[string]any{"op": "gte", "field": "id", "value": 0}}, "MaxRecords": 1}
	for range 3 {
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				what, method, path, body := "Projects/query", "POST", "Projects/query", any(q)
				if i%2 == 1 {
					what, method, path, body = "Projects/{id}/Tasks", "GET", fmt.Sprintf("Projects/%d/Tasks", project), nil
				}
				st, b, err := c.Raw(ctx, method, path, body)
				mu.Lock()
				defer mu.Unlock()
				if err == nil && st != 200 {
					refused[what]++
					sample = fmt.Sprintf("%d %.200s", st, oneLine(string(b)))
				}
			})
		}
		wg.Wait()
	}
	if len(refused) == 0 {
		return "none of 18 refused"
	}
	return fmt.Sprintf("refused: %d of 9 Projects/query, %d of 9 Projects/{id}/Tasks; e.g. %s",
		refused["Projects/query"], refused["Projects/{id}/Tasks"], sample)
}

func pickLabels(ctx context.Context, c *autotask.Client, entity, field string) (string, error) {
	fields, err := c.Fields(ctx, entity)
	if err != nil {
		return "", upstream(err)
	}
	for _, f := range fields {
		if !strings.EqualFold(f.Name, field) {
			continue
		}
		if !f.IsPickList {
			return "not a picklist (" + f.DataType + ")", nil
		}
		var vs []string
		for _, v := range f.PicklistValues {
			vs = append(vs, v.Value+" "+v.Label)
		}
		return strings.Join(vs, ", "), nil
	}
	return "no such field", nil
}

func levelsInUse(ctx context.Context, c *autotask.Client) (string, error) {
	count := map[int64]int{}
	err := c.Query(ctx, "ClientPortalUsers", autotask.Query{IncludeFields: []string{"id", "securityLevel"}}, func(item autotask.Item) error {
		u, err := decode[atPortalUser]("ClientPortalUsers", item)
		count[int64(u.SecurityLevel)]++
		return err
	})
	if err != nil {
		return "", upstream(err)
	}
	var parts []string
	for _, id := range slices.Sorted(maps.Keys(count)) {
		parts = append(parts, fmt.Sprintf("%d (%d users)", id, count[id]))
	}
	if len(parts) == 0 {
		return "no Client Portal users", nil
	}
	return strings.Join(parts, ", "), nil
}
