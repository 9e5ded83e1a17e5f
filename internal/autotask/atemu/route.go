package atemu

import (
	"net/http"
	"strconv"
	"strings"
)

// route is one method and path template of the schema extract's routes
// ("GET Projects/{parentId}/Attachments/{id}") and what answers it.
type route struct {
	method string
	segs   []string // literal segments, or "{id}" / "{parentId}"
	kind   string
	entity string // the entity the path addresses (the child's for child paths)
	// parentField is, on a child path, the child's field holding the
	// parent's id (Projects/{parentId}/Tasks: projectID).
	parentField string
}

// Route kinds.
const (
	kQuery      = "query"
	kCount      = "count"
	kNext       = "next"
	kGet        = "get"
	kWrite      = "write"
	kDelete     = "delete"
	kFields     = "fields"
	kUDFs       = "udfs"
	kInfo       = "info"
	kChildList  = "childList"
	kChildGet   = "childGet"
	kChildWrite = "childWrite"
	kThreshold  = "threshold"
	kZone       = "zone"
)

// parseRoute reads "METHOD Path" of the extract; children maps
// "Parent/Segment" to the child entity.
func parseRoute(r string, children map[string]string) route {
	method, path, _ := strings.Cut(r, " ")
	segs := strings.Split(path, "/")
	rt := route{method: method, segs: segs, entity: segs[0]}
	switch {
	case segs[0] == "ThresholdInformation":
		rt.kind = kThreshold
	case segs[0] == "ZoneInformation":
		rt.kind = kZone
	case len(segs) >= 3 && segs[1] == "{parentId}":
		rt.entity = children[segs[0]+"/"+segs[2]]
		rt.parentField = strings.ToLower(segs[0][:1]) + strings.TrimSuffix(segs[0][1:], "s") + "ID"
		switch {
		case len(segs) > 3 && segs[3] == "entityInformation":
			rt.kind = infoKind(segs[3:])
		case len(segs) == 3 && method == http.MethodGet:
			rt.kind = kChildList
		case len(segs) == 3:
			rt.kind = kChildWrite
		case method == http.MethodGet:
			rt.kind = kChildGet
		default:
			rt.kind = kDelete
		}
	case len(segs) == 1:
		rt.kind = kWrite
	case segs[1] == "query" && len(segs) == 2:
		rt.kind = kQuery
	case segs[1] == "query":
		rt.kind = kCount
	case segs[1] == "entityInformation":
		rt.kind = infoKind(segs[1:])
	case method == http.MethodGet:
		rt.kind = kGet
	default:
		rt.kind = kDelete
	}
	return rt
}

func infoKind(segs []string) string {
	switch {
	case len(segs) == 1:
		return kInfo
	case segs[1] == "fields":
		return kFields
	}
	return kUDFs
}

// nextPageRoutes are the nextPageUrls of queries: the swagger does not list
// them, Autotask answers them (docs/autotask.md §4), POST or GET.
func nextPageRoutes() []route {
	var out []route
	for _, e := range entities {
		for _, m := range []string{http.MethodPost, http.MethodGet} {
			out = append(out, route{method: m, segs: []string{e.name, "query", "next"}, kind: kNext, entity: e.name})
		}
	}
	return out
}

// match finds the route of a method and path (the segments after "v1.0/").
// pathKnown reports whether some route has that path (then a wrong method
// answers 405, else 404). ids holds the numeric segments in order.
func match(method string, segs []string) (rt *route, ids []int64, pathKnown bool) {
	for i := range routes {
		r := &routes[i]
		got, ok := matchSegs(r.segs, segs)
		if !ok {
			continue
		}
		pathKnown = true
		if r.method == method {
			return r, got, true
		}
	}
	return nil, nil, pathKnown
}

func matchSegs(tmpl, segs []string) ([]int64, bool) {
	if len(tmpl) != len(segs) {
		return nil, false
	}
	var ids []int64
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") {
			n, err := strconv.ParseInt(segs[i], 10, 64)
			if err != nil {
				return nil, false
			}
			ids = append(ids, n)
			continue
		}
		if !strings.EqualFold(t, segs[i]) {
			return nil, false
		}
	}
	return ids, true
}

// threadKey is what Autotask's limit of 3 concurrent requests counts: the
// object endpoint, the first path segment ("projects" for Projects/5/Tasks
// and Projects/query alike), per API tracking identifier
// (msoukhomlinov/n8n-nodes-autotask helpers/http/threadLimit.ts, PR #107).
func threadKey(segs []string) string {
	if len(segs) == 0 {
		return ""
	}
	return strings.ToLower(segs[0])
}

// route dispatches an authorized call by its path segments after "v1.0/".
func (s *Server) route(w http.ResponseWriter, r *http.Request, segs []string) {
	rt, ids, known := match(r.Method, segs)
	switch {
	case rt == nil && known:
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{
			"Message": "The requested resource does not support http method '" + r.Method + "'."})
		return
	case rt == nil:
		writeErrors(w, http.StatusNotFound, "No HTTP resource was found that matches the request URI "+r.URL.Path+".")
		return
	}
	e := lookupEntity(rt.entity)
	switch rt.kind {
	case kThreshold:
		s.thresholdInformation(w)
	case kQuery:
		s.query(w, r, e)
	case kCount:
		s.count(w, r, e)
	case kNext:
		s.nextPage(w, r, e)
	case kFields:
		s.fields(w, e)
	case kUDFs:
		s.udfFields(w, e)
	case kInfo:
		writeJSON(w, http.StatusOK, map[string]any{"name": e.name, "canQuery": true, "hasUserDefinedFields": len(e.udfs) > 0})
	case kGet:
		s.getOne(w, e, ids[0])
	case kWrite:
		s.write(w, r, e, nil, 0)
	case kDelete:
		s.deleteOne(w, e, rt, ids)
	case kChildList, kChildGet, kChildWrite:
		s.child(w, r, rt, e, ids)
	default:
		writeErrors(w, http.StatusNotFound, "No HTTP resource was found that matches the request URI "+r.URL.Path+".")
	}
}

// child answers Parent/{id}/Child (list, create, update) and
// Parent/{id}/Child/{childId} (read).
func (s *Server) child(w http.ResponseWriter, r *http.Request, rt *route, e *entity, ids []int64) {
	parent := lookupEntity(rt.segs[0])
	pid := ids[0]
	if s.Record(parent.name, pid) == nil {
		writeErrors(w, http.StatusNotFound, parent.name+" "+strconv.FormatInt(pid, 10)+" does not exist.")
		return
	}
	switch rt.kind {
	case kChildWrite:
		pf := rt.parentField
		s.write(w, r, e, &pf, pid)
	case kChildList:
		s.childList(w, e, rt.parentField, pid)
	default:
		s.getChild(w, e, rt.parentField, pid, ids[1])
	}
}

// getOne answers GET {Entity}/{id}: the record, or 404 when there is none.
func (s *Server) getOne(w http.ResponseWriter, e *entity, id int64) {
	rec := s.Record(e.name, id)
	if rec == nil {
		writeErrors(w, http.StatusNotFound, e.name+" "+strconv.FormatInt(id, 10)+" does not exist.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"item": s.one(e, rec)})
}

// getChild answers one child record. An attachment comes with its content
// as base64 in data, and under "items" as an object, as apigrate's README
// prints the child GET of an attachment (`{ items: { id, …, data } }`).
func (s *Server) getChild(w http.ResponseWriter, e *entity, parentField string, pid, id int64) {
	rec := s.Record(e.name, id)
	if rec == nil || rec[parentField] != float64(pid) {
		writeErrors(w, http.StatusNotFound, e.name+" "+strconv.FormatInt(id, 10)+" does not exist.")
		return
	}
	if e.name == "ProjectAttachments" {
		s.mu.Lock()
		rec["data"] = s.content[id]
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"items": s.one(e, rec)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": []any{s.one(e, rec)}})
}

// deleteOne answers DELETE of a record (a child's through its parent).
func (s *Server) deleteOne(w http.ResponseWriter, e *entity, rt *route, ids []int64) {
	id := ids[len(ids)-1]
	rec := s.Record(e.name, id)
	if rec == nil || (rt.parentField != "" && rec[rt.parentField] != float64(ids[0])) {
		writeErrors(w, http.StatusNotFound, e.name+" "+strconv.FormatInt(id, 10)+" does not exist.")
		return
	}
	s.Delete(e.name, id)
	writeJSON(w, http.StatusOK, map[string]int64{"itemId": id})
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
	recs := []map[string]any{}
	for _, rec := range s.snapshot(e, -1<<62) {
		if rec[parentField] == float64(pid) {
			recs = append(recs, rec)
		}
	}
	items := s.page2wire(e, recs, &queryBody{})
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
