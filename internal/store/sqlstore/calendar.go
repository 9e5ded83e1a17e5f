package sqlstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// CreateCalendarFeed stores a feed token and returns it with its id.
func (s *Store) CreateCalendarFeed(ctx context.Context, f store.CalendarFeed) (store.CalendarFeed, error) {
	id, err := insertID(ctx, s.w, `INSERT INTO calendar_feeds (contact_id, name, hash, created_at) VALUES (?, ?, ?, ?)`,
		f.ContactID, f.Name, f.Hash, ts(f.CreatedAt))
	if s.d.IsUnique(err) {
		return f, store.ErrConflict
	}
	f.ID = id
	return f, err
}

const feedCols = `id, contact_id, name, hash, created_at, last_used_at, revoked_at`

func scanFeed(r Row) (store.CalendarFeed, error) {
	var f store.CalendarFeed
	var created, used, rev nullTime
	err := r.Scan(&f.ID, &f.ContactID, &f.Name, &f.Hash, &created, &used, &rev)
	f.CreatedAt, f.LastUsedAt, f.RevokedAt = created.value(), used.t, rev.t
	return f, err
}

// CalendarFeeds lists a contact's live feed tokens, newest first.
func (s *Store) CalendarFeeds(ctx context.Context, contactID int64) ([]store.CalendarFeed, error) {
	return list(ctx, s.r, `SELECT `+feedCols+` FROM calendar_feeds WHERE contact_id = ? AND revoked_at IS NULL ORDER BY id DESC`,
		[]any{contactID}, scanFeed)
}

// RevokeCalendarFeed revokes one of the contact's live feed tokens.
func (s *Store) RevokeCalendarFeed(ctx context.Context, contactID, id int64, at time.Time) error {
	return s.execOne(ctx, `UPDATE calendar_feeds SET revoked_at = ? WHERE id = ? AND contact_id = ? AND revoked_at IS NULL`,
		ts(at), id, contactID)
}

// TouchCalendarFeed records when a feed token was last used.
func (s *Store) TouchCalendarFeed(ctx context.Context, id int64, at time.Time) error {
	_, err := s.w.Exec(ctx, `UPDATE calendar_feeds SET last_used_at = ? WHERE id = ?`, ts(at), id)
	return err
}

// ProjectEvents streams the events of the projects q selects, in one query
// however many projects that is (a feed of a thousand projects is one
// round trip, not a thousand).
func (s *Store) ProjectEvents(ctx context.Context, q store.ProjectQuery, each func(api.Event) error) error {
	var w where
	scopeProjects(&w, q.Scope)
	filterProjects(&w, q.ID, q.Number, q.IncludeCompleted)
	cols := "e." + strings.ReplaceAll(eventCols, ", ", ", e.")
	return stream(ctx, s.r, `SELECT `+cols+` FROM events e JOIN projects p ON p.id = e.project_id`+w.sql()+` ORDER BY e.id`,
		w.args, scanEvent, each)
}

// versionChunk bounds the IN list of one read of calendar_versions.
const versionChunk = 500

// CalendarVersions reads the stored versions of the items (a few queries
// for a whole feed) and writes only the items that are new or changed, one
// upsert each in one transaction. The upsert changes a row only when its
// hash differs, so of two instances recording the same change one bumps the
// sequence and the other reads the bumped row back.
func (s *Store) CalendarVersions(ctx context.Context, now time.Time, items []store.CalendarVersion) (string, error) {
	var domain string
	if err := s.r.QueryRow(ctx, `SELECT uid_domain FROM calendar_settings WHERE id = 1`).Scan(&domain); err != nil {
		return "", err
	}
	stored := make(map[string]store.CalendarVersion, len(items))
	for start := 0; start < len(items); start += versionChunk {
		chunk := items[start:min(start+versionChunk, len(items))]
		args := make([]any, len(chunk))
		for i, it := range chunk {
			args[i] = it.UID
		}
		err := stream(ctx, s.r, `SELECT uid, hash, sequence, modified_at FROM calendar_versions WHERE uid IN (`+
			strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")+`)`, args, scanVersion,
			func(v store.CalendarVersion) error { stored[v.UID] = v; return nil })
		if err != nil {
			return "", err
		}
	}
	var changed []int
	for i := range items {
		v, ok := stored[items[i].UID]
		if ok && v.Hash == items[i].Hash {
			items[i].Sequence, items[i].Modified = v.Sequence, v.Modified
			continue
		}
		changed = append(changed, i)
	}
	if len(changed) == 0 {
		return domain, nil
	}
	return domain, s.inTx(ctx, func(tx Tx) error {
		for _, i := range changed {
			it := &items[i]
			v, err := scanVersion(tx.QueryRow(ctx, `INSERT INTO calendar_versions (uid, hash, sequence, modified_at) VALUES (?, ?, 0, ?)
				ON CONFLICT (uid) DO UPDATE SET hash = excluded.hash, sequence = calendar_versions.sequence + 1,
					modified_at = excluded.modified_at
				WHERE calendar_versions.hash <> excluded.hash
				RETURNING uid, hash, sequence, modified_at`, it.UID, it.Hash, now.Unix()))
			if errors.Is(err, store.ErrNotFound) { // another instance recorded this hash first
				v, err = scanVersion(tx.QueryRow(ctx, `SELECT uid, hash, sequence, modified_at FROM calendar_versions WHERE uid = ?`, it.UID))
			}
			if err != nil {
				return err
			}
			it.Sequence, it.Modified = v.Sequence, v.Modified
		}
		return nil
	})
}

func scanVersion(r Row) (store.CalendarVersion, error) {
	var v store.CalendarVersion
	var modified int64
	err := r.Scan(&v.UID, &v.Hash, &v.Sequence, &modified)
	v.Modified = time.Unix(modified, 0).UTC()
	return v, err
}
