package atemu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// references name the entity an id field points to; a write naming a
// record that does not exist is refused, as Autotask does.
var references = map[string]string{
	"projectID": "Projects", "taskID": "Tasks", "phaseID": "Phases", "parentPhaseID": "Phases",
	"companyID": "Companies", "parentCompanyID": "Companies", "billToCompanyID": "Companies",
	"contractID": "Contracts", "assignedResourceID": "Resources", "resourceID": "Resources",
	"creatorResourceID": "Resources", "projectLeadResourceID": "Resources", "createdByContactID": "Contacts",
	"ticketID": "Tickets",
}

// write answers a create (POST) or update (PATCH) of e, through a parent
// path when parentField is set (the parent, pid, exists).
func (s *Server) write(w http.ResponseWriter, r *http.Request, e *entity, parentField *string, pid int64) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body == nil {
		writeErrors(w, http.StatusBadRequest, "The request body must be a JSON object.")
		return
	}
	fields, problems := clean(e, body)
	if parentField != nil {
		if v, ok := fields[*parentField]; ok && v != float64(pid) {
			problems = append(problems, fmt.Sprintf("%s %v does not match the parent id %d in the URL.", *parentField, v, pid))
		}
		fields[*parentField] = float64(pid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	problems = append(problems, s.checkReferences(fields)...)
	if r.Method == http.MethodPatch {
		s.patch(w, e, body, fields, problems, parentField)
		return
	}
	for _, f := range e.fields {
		if f.required && !f.readOnly && blank(fields[f.name]) {
			problems = append(problems, missing(e, &f))
		}
	}
	if len(problems) > 0 {
		writeErrors(w, http.StatusInternalServerError, unique(problems)...) // Autotask answers validation errors with 500
		return
	}
	id := s.nextID(e.name)
	rec := emptyRecord(e)
	rec["id"] = float64(id)
	now := s.opts.Now().UTC().Format(stampLayout)
	for _, name := range []string{"createDateTime", "createDate", "lastActivityDate", "attachDate"} {
		if e.field(name) != nil {
			rec[name] = now
		}
	}
	if e.name == "Tasks" {
		rec["taskNumber"] = s.taskNumber(s.opts.Now().UTC())
	}
	rec = merge(e, rec, fields, now)
	s.stamp(e, rec)
	if problems := s.businessRules(e, rec); len(problems) > 0 {
		writeErrors(w, http.StatusInternalServerError, problems...)
		return
	}
	s.impersonate(e, rec)
	s.put(e.name, rec)
	writeJSON(w, http.StatusOK, map[string]int64{"itemId": id})
}

func (s *Server) patch(w http.ResponseWriter, e *entity, body, fields map[string]any, problems []string, parentField *string) {
	var id float64
	for k, v := range body {
		if strings.EqualFold(k, "id") {
			id, _ = v.(float64)
		}
	}
	old := s.tables[e.name].rows[int64(id)]
	if id == 0 || old == nil || parentField != nil && old[*parentField] != fields[*parentField] {
		writeErrors(w, http.StatusNotFound, fmt.Sprintf("No %s record with id %v exists.", e.name, body["id"]))
		return
	}
	for name, v := range fields {
		if f := e.field(name); f != nil && f.required && blank(v) {
			problems = append(problems, missing(e, f))
		}
	}
	if len(problems) > 0 {
		writeErrors(w, http.StatusInternalServerError, unique(problems)...) // Autotask answers validation errors with 500
		return
	}
	rec := merge(e, clone(old), fields, s.opts.Now().UTC().Format(stampLayout))
	s.stamp(e, rec)
	if problems := s.businessRules(e, rec); len(problems) > 0 {
		writeErrors(w, http.StatusInternalServerError, problems...)
		return
	}
	s.put(e.name, rec)
	writeJSON(w, http.StatusOK, map[string]int64{"itemId": int64(id)})
}

// stampLayout is how the emulator writes the times it sets: Autotask sends
// milliseconds.
const stampLayout = "2006-01-02T15:04:05.000Z"

// merge applies checked fields to a record (a fresh copy). A task whose
// status becomes Complete gets its completedDateTime, as in Autotask.
func merge(e *entity, rec, fields map[string]any, now string) map[string]any {
	wasComplete := rec["status"] == float64(taskStatusID["complete"])
	for name, v := range fields {
		if name != "userDefinedFields" {
			rec[name] = v
			continue
		}
		udfs, _ := rec["userDefinedFields"].([]any)
		for _, set := range v.([]any) {
			m := set.(map[string]any)
			for _, u := range udfs {
				if have := u.(map[string]any); strings.EqualFold(have["name"].(string), m["name"].(string)) {
					have["value"] = m["value"]
				}
			}
		}
	}
	if e.name == "Tasks" {
		isComplete := rec["status"] == float64(taskStatusID["complete"])
		switch {
		case isComplete && !wasComplete:
			rec["completedDateTime"] = now
		case !isComplete:
			rec["completedDateTime"] = nil
		}
	}
	return rec
}

// checkReferences refuses ids of records that do not exist (s.mu held).
func (s *Server) checkReferences(fields map[string]any) []string {
	var problems []string
	for name, v := range fields {
		target, ok := references[name]
		if n, isNum := v.(float64); ok && isNum && s.tables[target].rows[int64(n)] == nil {
			problems = append(problems, fmt.Sprintf("%s %v does not refer to an existing %s record.", name, v, target))
		}
	}
	return problems
}

// taskNumber is the next T{yyyymmdd}.{nnnn} of the day (s.mu held).
func (s *Server) taskNumber(now time.Time) string {
	prefix := "T" + now.Format("20060102") + "."
	n := 1
	for _, rec := range s.tables["Tasks"].rows {
		if num, _ := rec["taskNumber"].(string); strings.HasPrefix(num, prefix) {
			n++
		}
	}
	return fmt.Sprintf("%s%04d", prefix, n)
}

// emptyRecord has every field of the entity null and every UDF present
// with a null value, as Autotask answers records.
func emptyRecord(e *entity) map[string]any {
	rec := make(map[string]any, len(e.fields)+1)
	for _, f := range e.fields {
		if f.name != "data" { // an attachment's content: only its child read carries it
			rec[f.name] = nil
		}
	}
	udfs := make([]any, 0, len(e.udfs))
	for _, name := range e.udfs {
		udfs = append(udfs, map[string]any{"name": name, "value": nil})
	}
	rec["userDefinedFields"] = udfs
	return rec
}
