package atemu

import (
	"net/http"
	"strconv"
	"strings"
)

// entityOf names the entity a path addresses, for the per-entity counters:
// the child's entity for child paths.
func entityOf(segs []string) string {
	if len(segs) >= 3 {
		if _, err := strconv.ParseInt(segs[1], 10, 64); err == nil {
			if c, ok := childOf(segs[0], segs[2]); ok {
				return c.entity
			}
		}
	}
	if e := lookupEntity(segs[0]); e != nil {
		return e.name
	}
	return segs[0]
}

// childName is the URL segment of a child entity under its parent.
func childName(entity string) string {
	for key, c := range children {
		if c.entity == entity {
			_, name, _ := strings.Cut(key, "/")
			return strings.ToUpper(name[:1]) + name[1:]
		}
	}
	return entity
}

func childOf(parent, child string) (struct{ entity, parentField string }, bool) {
	c, ok := children[strings.ToLower(parent+"/"+child)]
	return c, ok
}

// route dispatches an authorized call by its path segments after "v1.0/".
func (s *Server) route(w http.ResponseWriter, r *http.Request, segs []string) {
	if len(segs) == 1 && strings.EqualFold(segs[0], "ThresholdInformation") && r.Method == http.MethodGet {
		s.thresholdInformation(w)
		return
	}
	e := lookupEntity(segs[0])
	if e == nil {
		writeErrors(w, http.StatusNotFound, "The entity "+segs[0]+" does not exist.")
		return
	}
	is := func(i int, word string) bool { return len(segs) > i && strings.EqualFold(segs[i], word) }
	method := r.Method
	switch {
	case len(segs) == 2 && is(1, "query") && (method == http.MethodPost || method == http.MethodGet):
		s.query(w, r, e)
	case len(segs) == 3 && is(1, "query") && is(2, "count") && method == http.MethodPost:
		s.count(w, r, e)
	case len(segs) == 3 && is(1, "query") && is(2, "next") && (method == http.MethodPost || method == http.MethodGet):
		s.nextPage(w, r, e)
	case len(segs) == 3 && is(1, "entityInformation") && is(2, "fields") && method == http.MethodGet:
		s.fields(w, e)
	case len(segs) == 3 && is(1, "entityInformation") && is(2, "userDefinedFields") && method == http.MethodGet:
		s.udfFields(w, e)
	case len(segs) == 1 && (method == http.MethodPost || method == http.MethodPatch) && e.childOnly:
		writeErrors(w, http.StatusNotFound, e.name+" are written through their parent, like Projects/{id}/"+childName(e.name)+".")
	case len(segs) == 1 && (method == http.MethodPost || method == http.MethodPatch):
		s.write(w, r, e, nil, 0)
	case len(segs) == 1:
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{
			"Message": "The requested resource does not support http method '" + method + "'."})
	case len(segs) == 2 && method == http.MethodGet:
		id, err := strconv.ParseInt(segs[1], 10, 64)
		if err != nil {
			writeErrors(w, http.StatusBadRequest, "The id "+segs[1]+" is not a number.")
			return
		}
		s.getOne(w, e, id)
	case len(segs) == 2: // PATCH {Entity}/{id} included: updates go to the collection path
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{
			"Message": "The requested resource does not support http method '" + method + "'."})
	case len(segs) == 3 || len(segs) == 4:
		s.child(w, r, e, segs)
	default:
		writeErrors(w, http.StatusNotFound, "No such resource: "+r.Method+" "+r.URL.Path)
	}
}

// child answers Parent/{id}/Child (create, update) and
// Parent/{id}/Child/{childId} (read).
func (s *Server) child(w http.ResponseWriter, r *http.Request, parent *entity, segs []string) {
	pid, err := strconv.ParseInt(segs[1], 10, 64)
	c, ok := childOf(segs[0], segs[2])
	if err != nil || !ok {
		writeErrors(w, http.StatusNotFound, "No such resource: "+r.Method+" "+r.URL.Path)
		return
	}
	ce := lookupEntity(c.entity)
	if s.Record(parent.name, pid) == nil {
		writeErrors(w, http.StatusNotFound, parent.name+" "+segs[1]+" does not exist.")
		return
	}
	switch {
	case len(segs) == 3 && (r.Method == http.MethodPost || r.Method == http.MethodPatch):
		s.write(w, r, ce, &c.parentField, pid)
	case len(segs) == 3 && r.Method == http.MethodGet:
		s.childList(w, ce, c.parentField, pid)
	case len(segs) == 4 && r.Method == http.MethodGet:
		id, err := strconv.ParseInt(segs[3], 10, 64)
		if err != nil {
			writeErrors(w, http.StatusBadRequest, "The id "+segs[3]+" is not a number.")
			return
		}
		s.getChild(w, ce, c.parentField, pid, id)
	default:
		writeErrors(w, http.StatusNotFound, "No such resource: "+r.Method+" "+r.URL.Path)
	}
}

func (s *Server) getOne(w http.ResponseWriter, e *entity, id int64) {
	rec := s.Record(e.name, id)
	if rec == nil {
		writeJSON(w, http.StatusOK, map[string]any{"item": nil})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"item": rec})
}

// getChild answers one child record in an items list; attachments carry
// their content as base64 in data (encoding/json encodes []byte so).
func (s *Server) getChild(w http.ResponseWriter, e *entity, parentField string, pid, id int64) {
	rec := s.Record(e.name, id)
	if rec == nil || rec[parentField] != float64(pid) {
		writeJSON(w, http.StatusOK, map[string]any{"items": []any{}})
		return
	}
	if e.name == "ProjectAttachments" {
		s.mu.Lock()
		rec["data"] = s.content[id]
		s.mu.Unlock()
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": []any{rec}})
}

// udfFields answers entityInformation/userDefinedFields: the entity's
// UDFs, all text fields.
func (s *Server) udfFields(w http.ResponseWriter, e *entity) {
	out := []map[string]any{}
	for _, name := range e.udfs {
		out = append(out, map[string]any{"name": name, "dataType": tStr, "length": 8000, "isRequired": false,
			"isReadOnly": false, "isQueryable": true, "isReference": false, "isPickList": false, "picklistValues": nil})
	}
	writeJSON(w, http.StatusOK, map[string]any{"fields": out})
}

// childList answers GET Parent/{id}/Child: the parent's children in id
// order, in one page (the emulator does not page child collections).
func (s *Server) childList(w http.ResponseWriter, e *entity, parentField string, pid int64) {
	items := []map[string]any{}
	for _, rec := range s.snapshot(e, -1<<62) {
		if rec[parentField] == float64(pid) {
			items = append(items, rec)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "pageDetails": map[string]any{
		"count": len(items), "requestCount": len(items), "prevPageUrl": nil, "nextPageUrl": nil}})
}

// fields answers entityInformation/fields: every field with its type, and
// the values of picklist fields.
func (s *Server) fields(w http.ResponseWriter, e *entity) {
	out := make([]map[string]any, 0, len(e.fields))
	for _, f := range e.fields {
		var values []map[string]any // null unless a picklist
		for i, p := range f.picks {
			values = append(values, map[string]any{
				"value": strconv.Itoa(p.id), "label": p.label, "isActive": true, "isSystem": true,
				"isDefaultValue": false, "sortOrder": i + 1, "parentValue": "",
			})
		}
		out = append(out, map[string]any{
			"name": f.name, "dataType": f.typ, "length": 0, "isRequired": f.required, "isReadOnly": f.readOnly,
			"isReference": references[f.name] != "", "referenceEntityType": references[f.name],
			"isQueryable": !f.noQuery, "isPickList": f.picks != nil, "picklistValues": values,
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"fields": out})
}
