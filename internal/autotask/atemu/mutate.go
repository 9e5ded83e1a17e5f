package atemu

import (
	"sort"
)

// Changes made in Autotask itself, outside the API (a technician editing a
// task, posting or unposting a billing item, deleting a note): tests make
// them while portald syncs. They skip validation, as Autotask's own UI is
// not the REST API, and stamp the entity's last-change field with the
// emulator's clock, as Autotask does.

// Put creates the record id of entity with fields, or changes the fields
// given of an existing one. UDF values are given by name in udfs.
func (s *Server) Put(entity string, id int64, fields map[string]any, udfs map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := lookupEntity(entity)
	if e == nil {
		panic("atemu: no entity " + entity)
	}
	rec := clone(s.tables[e.name].rows[id])
	if rec == nil {
		rec = emptyRecord(e)
		rec["id"] = float64(id)
	}
	for k, v := range fields {
		if f := e.field(k); f != nil {
			k = f.name
		}
		rec[k] = v
	}
	setUDFs(rec, udfs)
	s.stamp(e, rec)
	s.put(e.name, rec)
}

// Delete removes a record (a deleted note, an unposted billing item); it
// reports whether there was one.
func (s *Server) Delete(entity string, id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := lookupEntity(entity)
	if e == nil {
		return false
	}
	t := s.tables[e.name]
	if _, ok := t.rows[id]; !ok {
		return false
	}
	delete(t.rows, id)
	i := sort.Search(len(t.ids), func(i int) bool { return t.ids[i] >= id })
	t.ids = append(t.ids[:i], t.ids[i+1:]...)
	delete(s.content, id)
	return true
}

// SetContent sets an attachment's bytes (and its fileSize).
func (s *Server) SetContent(id int64, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.content[id] = data
	if rec := clone(s.tables["ProjectAttachments"].rows[id]); rec != nil {
		rec["fileSize"] = float64(len(data))
		s.put("ProjectAttachments", rec)
	}
}

// stamp sets the entity's last-change field to now (s.mu held).
func (s *Server) stamp(e *entity, rec map[string]any) {
	if e.changed != "" {
		rec[e.changed] = s.opts.Now().UTC().Format(stampLayout)
	}
}

func setUDFs(rec map[string]any, udfs map[string]any) {
	if len(udfs) == 0 {
		return
	}
	list, _ := rec["userDefinedFields"].([]any)
	for _, u := range list {
		m := u.(map[string]any)
		if v, ok := udfs[m["name"].(string)]; ok {
			m["value"] = v
		}
	}
}
