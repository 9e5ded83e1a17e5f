package autotask

import (
	"cmp"
	"context"
	"slices"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// BilledHours streams the billing items on the billing organization's
// contracts, on client projects of other companies, ordered by (itemDate,
// id). Autotask answers in id order and cannot sort, so the items are read
// in windows of one calendar month of itemDate (the first window, before
// the start date or HistoryMonths back, and the last, after the end date
// or this month, are open-ended), each sorted in memory and emitted before
// the next is read: memory holds one window, not the whole history.
//
// Calls, with N rows emitted and W windows read: the item queries cost at
// most W + ceil(N/500) (one per window, plus one per further 500-item page),
// and each batch of 500 rows costs one TimeEntries call plus at most one
// Projects and one Tasks call for the ones not cached yet; the contracts are
// cached. So N rows cost at most W + 4·ceil(N/500) + 1 calls cold, and
// W + 2·ceil(N/500) once the projects and tasks are cached (the budget test
// asserts 2·ceil(N/500) + W + 2). A page stops reading windows once full.
func (s *Store) BilledHours(ctx context.Context, q store.BilledHoursQuery, each func(api.BilledHoursRow) error) error {
	contracts, err := s.billToContracts(ctx, q.BillingOrgID)
	if err != nil || len(contracts) == 0 {
		return err
	}
	base := []at.Filter{anyIn("contractID", contracts), at.NotEq("companyID", q.BillingOrgID)}
	if q.ClientID > 0 {
		base = append(base, at.Eq("companyID", q.ClientID))
	}
	if q.ProjectID > 0 {
		base = append(base, at.Eq("projectID", q.ProjectID))
	}
	if q.AfterID > 0 {
		base = append(base, at.Gt("id", q.AfterID))
	}
	lo := q.From
	if q.Page.After != nil && api.Date(q.Page.After.Value) > lo {
		lo = api.Date(q.Page.After.Value)
	}
	e := &billedEmitter{s: s, org: q.BillingOrgID, limit: q.Page.Limit, each: each}
	for _, w := range s.windows(lo, q.To) {
		var items []atBillingItem
		err := query(ctx, s.c, "BillingItems", append(slices.Clip(base), w.filters()...), billingItemFields, 0,
			func(i atBillingItem) error { items = append(items, i); return nil })
		if err != nil {
			return err
		}
		slices.SortFunc(items, func(a, b atBillingItem) int {
			return cmp.Or(a.ItemDate.Compare(b.ItemDate.Time), cmp.Compare(a.ID, b.ID))
		})
		for _, i := range items {
			if after := q.Page.After; after != nil {
				if d := *date(i.ItemDate); d < api.Date(after.Value) || (d == api.Date(after.Value) && i.ID <= after.ID) {
					continue
				}
			}
			if err := e.add(ctx, i); err != nil {
				return err
			}
			if e.full() {
				return nil
			}
		}
	}
	return e.flush(ctx)
}

var billingItemFields = []string{"id", "projectID", "taskID", "contractID", "companyID", "itemDate", "quantity", "rate",
	"description", "postedDate", "timeEntryID"}

// window is [from, to) of itemDate; a zero bound is open.
type window struct{ from, to time.Time }

func (w window) filters() []at.Filter {
	var f []at.Filter
	if !w.from.IsZero() {
		f = append(f, at.Gte("itemDate", w.from.Format(time.RFC3339)))
	}
	if !w.to.IsZero() {
		f = append(f, at.Lt("itemDate", w.to.Format(time.RFC3339)))
	}
	return f
}

// windows splits [lo, hi] (dates; "" = open) into calendar months.
func (s *Store) windows(lo, hi api.Date) []window {
	month := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }
	parse := func(d api.Date) time.Time { t, _ := time.Parse("2006-01-02", string(d)); return t }
	now := s.opt.Now().UTC()
	var out []window
	var start, from, end, to time.Time // the first and last month; the bounds
	if lo != "" {
		from = parse(lo)
		start = month(from)
	} else {
		start = month(now).AddDate(0, -s.opt.HistoryMonths, 0)
		out = append(out, window{to: start})
	}
	if hi != "" {
		to = parse(hi).AddDate(0, 0, 1)
		end = month(parse(hi))
	} else {
		end = later(month(now), start)
	}
	for m := start; !m.After(end); m = m.AddDate(0, 1, 0) {
		w := window{from: later(m, from), to: m.AddDate(0, 1, 0)}
		if !to.IsZero() && to.Before(w.to) {
			w.to = to
		}
		if w.from.Before(w.to) {
			out = append(out, w)
		}
	}
	if hi == "" {
		out = append(out, window{from: end.AddDate(0, 1, 0)})
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
