package sqlstore

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/portalctl/portalctl/pkg/api"
)

// The scan targets of the billed-hours stream (a million rows per export)
// take each driver's values without conversions. database/sql (SQLite)
// calls Scan with the driver's value; pgx calls the typed pgtype scanner
// methods, skipping its detour through database/sql's driver.Value (a
// time.Time per date, a boxed value per column), and its reflection.

// int64Col scans a NOT NULL integer (database/sql reaches *int64 only
// through reflection).
type int64Col int64

func (c *int64Col) Scan(v any) error {
	n, ok := v.(int64)
	if !ok {
		var ni sql.NullInt64
		if err := ni.Scan(v); err != nil || !ni.Valid {
			return fmt.Errorf("cannot scan %T (%v) as an integer", v, v)
		}
		n = ni.Int64
	}
	*c = int64Col(n)
	return nil
}

func (c *int64Col) ScanInt64(v pgtype.Int8) error {
	if !v.Valid {
		return fmt.Errorf("cannot scan NULL as an integer")
	}
	*c = int64Col(v.Int64)
	return nil
}

// nullInt64Col scans a nullable integer.
type nullInt64Col sql.NullInt64

func (c *nullInt64Col) Scan(v any) error {
	if n, ok := v.(int64); ok {
		*c = nullInt64Col{Int64: n, Valid: true}
		return nil
	}
	return (*sql.NullInt64)(c).Scan(v)
}

func (c *nullInt64Col) ScanInt64(v pgtype.Int8) error {
	*c = nullInt64Col{Int64: v.Int64, Valid: v.Valid}
	return nil
}

// dateCol scans worked_date: YYYY-MM-DD text (SQLite) or a date
// (PostgreSQL), like nullDate. Rows come in date order, so the last date's
// text is reused while the date repeats.
type dateCol struct {
	d api.Date
	// last is the date d was formatted from, when it was (PostgreSQL).
	last *time.Time
}

func (c *dateCol) Scan(v any) error {
	var n nullDate
	err := n.Scan(v)
	c.d, c.last = n.value(), nil
	return err
}

func (c *dateCol) ScanDate(v pgtype.Date) error {
	switch {
	case !v.Valid:
		c.d, c.last = "", nil
	case v.InfinityModifier != pgtype.Finite:
		c.d, c.last = api.Date(v.InfinityModifier.String()), nil // what nullDate gets from pgx
	case c.last == nil || !v.Time.Equal(*c.last):
		c.d, c.last = api.Date(v.Time.Format(time.DateOnly)), &v.Time
	}
	return nil
}

// timeCol scans billed_at: RFC 3339 text (SQLite) or a timestamptz
// (PostgreSQL), like nullTime. Items billed together share the value, so
// the last one is reused (rows may share the pointer: nobody writes
// through it).
type timeCol struct {
	t        *time.Time
	lastText string
}

func (c *timeCol) Scan(v any) error {
	if s, ok := v.(string); ok && c.t != nil && s == c.lastText {
		return nil
	}
	var n nullTime
	err := n.Scan(v)
	c.t, c.lastText = n.t, ""
	if s, ok := v.(string); ok && n.t != nil {
		c.lastText = s
	}
	return err
}

func (c *timeCol) ScanTimestamptz(v pgtype.Timestamptz) error {
	switch {
	case !v.Valid:
		c.t = nil
	case v.InfinityModifier != pgtype.Finite:
		c.t = &time.Time{} // what nullTime makes of pgx's "infinity"
	case c.t == nil || !v.Time.Equal(*c.t):
		t := v.Time.UTC()
		c.t = &t
	}
	c.lastText = ""
	return nil
}
