package atemu

import (
	"strconv"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// Conversions of import-format values to the JSON values Autotask sends:
// ids and decimals as numbers, empty text as null, dates as midnight UTC.

func id(v int64) any { return float64(v) }

func optID(v *int64) any {
	if v == nil {
		return nil
	}
	return float64(*v)
}

func optIDText(v *int64) any {
	if v == nil {
		return nil
	}
	return strconv.FormatInt(*v, 10)
}

func optText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func flag(b bool) any {
	if b {
		return 1.0
	}
	return 0.0
}

// date is a portal date as Autotask's midnight-UTC datetime.
func date(d *api.Date) any {
	if d == nil || *d == "" {
		return nil
	}
	return string(*d) + "T00:00:00Z"
}

func stamp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// dec is a portal decimal as a JSON number.
func dec(d *api.Decimal) any {
	if d == nil {
		return nil
	}
	return float64(d.Hundredths()) / 100
}

func pickID(ids map[string]int, label, fallback string) any {
	if n, ok := ids[label]; ok {
		return float64(n)
	}
	if n, ok := ids[fallback]; ok {
		return float64(n)
	}
	return nil
}

// zoneless is a timestamp as Autotask writes some of them: UTC without a
// zone, with milliseconds (testdata/real/companies_query_single.json).
func zoneless(t time.Time) any { return t.UTC().Format("2006-01-02T15:04:05.000") }

// roleOf is the role an assigned resource works in; Autotask requires one
// with every assignee. The emulator has a single role, 1.
func roleOf(resourceID *int64) any {
	if resourceID == nil {
		return nil
	}
	return 1.0
}
