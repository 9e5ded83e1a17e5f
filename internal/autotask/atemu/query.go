package atemu

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// queryBody is the body of {Entity}/query and {Entity}/query/count (or the
// search parameter of GET {Entity}/query).
type queryBody struct {
	Filter        []cond   `json:"filter"`
	IncludeFields []string `json:"IncludeFields,omitempty"`
	MaxRecords    *int     `json:"MaxRecords,omitempty"`

	udfs []string // the UDFs IncludeFields names, set by check
}

// paging is the cursor a nextPageUrl carries, shaped as Autotask's:
// the next page starts at nextIds[0], so the URL stays valid while records
// are added (they get higher ids).
type paging struct {
	PageSize    int     `json:"pageSize"`
	PreviousIDs []int64 `json:"previousIds"`
	NextIDs     []int64 `json:"nextIds"`
}

// readQuery decodes and checks a query body (field names are matched
// case-insensitively, as Autotask does). It answers the error itself: 400
// for a body that is not JSON, 500 for a query Autotask refuses (its
// validation errors are 500s, docs/autotask.md §7).
func readQuery(w http.ResponseWriter, r io.Reader, e *entity) (*queryBody, bool) {
	var q queryBody
	if err := json.NewDecoder(r).Decode(&q); err != nil {
		writeErrors(w, http.StatusBadRequest, "The query body is not valid JSON: "+err.Error())
		return nil, false
	}
	if err := q.check(e); err != nil {
		writeErrors(w, http.StatusInternalServerError, err.Error())
		return nil, false
	}
	return &q, true
}

func (q *queryBody) check(e *entity) error {
	if len(q.Filter) == 0 {
		return fmt.Errorf("the query needs at least one filter item")
	}
	for i := range q.Filter {
		if err := q.Filter[i].check(e); err != nil {
			return err
		}
	}
	var udfs []string
	for i := range q.Filter {
		udfs = q.Filter[i].udfFields(udfs)
	}
	if len(udfs) > 1 {
		// "You can only query by one user-defined field at a time"
		// (UserDefinedFieldDefinitions help page).
		return fmt.Errorf("only one user-defined field may be queried at a time; this query names %s", strings.Join(udfs, ", "))
	}
	n := 0
	for i := range q.Filter {
		n += q.Filter[i].orConditions()
	}
	if n > maxOrConditions {
		//lint:ignore ST1005 Autotask's own words (SOAP thresholds page)
		return errors.New("Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions.")
	}
	if len(e.parentFields) > 0 && !q.namesParent(e) {
		return fmt.Errorf("a %s query must include the object whose attachments it asks for (one of %s)",
			e.name, strings.Join(e.parentFields, ", "))
	}
	q.udfs = nil
	fields := q.IncludeFields[:0:0]
	for _, name := range q.IncludeFields {
		f := e.field(name)
		switch {
		case f == nil && e.hasUDF(name):
			q.udfs = append(q.udfs, name)
			continue
		case f == nil:
			return fmt.Errorf("IncludeFields: unable to find %s in the %s entity", name, e.name)
		case f.noQuery:
			return fmt.Errorf("IncludeFields: the field %s of %s cannot be queried", f.name, e.name)
		}
		fields = append(fields, f.name)
	}
	if len(q.IncludeFields) > 0 && len(fields) == 0 {
		fields = []string{"id"} // only UDFs named: id and those come back
	}
	q.IncludeFields = fields
	if q.MaxRecords != nil && (*q.MaxRecords < 1 || *q.MaxRecords > 500) {
		return fmt.Errorf("maxCountOfRecordsToReturn must be between 1 and 500")
	}
	return nil
}

// maxOrConditions is Autotask's cap on the OR conditions of one query
// (SOAP thresholds page: "Queries are limited to 500 or fewer 'OR'
// conditions"); each value of an in list counts as one.
const maxOrConditions = 500

// namesParent reports whether a top-level filter item pins one of the
// entity's parent fields with eq or in (Autotask 2021.1, "Changes to
// Attachment entities": attachment queries name the object queried).
func (q *queryBody) namesParent(e *entity) bool {
	for _, c := range q.Filter {
		op := strings.ToLower(c.Op)
		if (op == "eq" || op == "in") && !c.UDF && contains(e.parentFields, c.Field) {
			return true
		}
	}
	return false
}

func (q *queryBody) matches(rec map[string]any) bool {
	for i := range q.Filter {
		if !q.Filter[i].match(rec) {
			return false
		}
	}
	return true
}

// query answers POST {Entity}/query (the filter in the body) and
// GET {Entity}/query?search= (the filter in the URL, carried on to the
// nextPageUrl).
func (s *Server) query(w http.ResponseWriter, r *http.Request, e *entity) {
	search := r.URL.Query().Get("search")
	q, ok := readQuery(w, filterSource(r, search), e)
	if !ok {
		return
	}
	s.page(w, e, q, paging{PreviousIDs: []int64{-1}}, search)
}

func (s *Server) count(w http.ResponseWriter, r *http.Request, e *entity) {
	q, ok := readQuery(w, r.Body, e)
	if !ok {
		return
	}
	n := 0
	for _, rec := range s.snapshot(e, 0) {
		if q.matches(rec) {
			n++
		}
	}
	writeJSON(w, http.StatusOK, map[string]int{"queryCount": n})
}

// nextPage answers a nextPageUrl. As on Autotask, one from a POST query is
// fetched with POST and the same body (a GET answers 405); one from a GET
// query carries its search parameter and is fetched with GET.
func (s *Server) nextPage(w http.ResponseWriter, r *http.Request, e *entity) {
	search := r.URL.Query().Get("search")
	if r.Method == http.MethodGet && search == "" {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{
			"Message": "The requested resource does not support http method 'GET'."})
		return
	}
	var p paging
	if err := json.Unmarshal([]byte(r.URL.Query().Get("paging")), &p); err != nil || len(p.NextIDs) == 0 {
		writeErrors(w, http.StatusBadRequest, "The paging parameter is not valid.")
		return
	}
	q, ok := readQuery(w, filterSource(r, search), e)
	if !ok {
		return
	}
	s.page(w, e, q, p, search)
}

// filterSource is where a query's filter is: the body of a POST, the search
// parameter of a GET.
func filterSource(r *http.Request, search string) io.Reader {
	if r.Method == http.MethodGet {
		return strings.NewReader(search)
	}
	return r.Body
}

// page answers one page: the matching records from the cursor's next id
// on, in id order, at most PageSize (or MaxRecords), and the URL of the
// next page when more match.
func (s *Server) page(w http.ResponseWriter, e *entity, q *queryBody, at paging, search string) {
	size := s.opts.PageSize
	if q.MaxRecords != nil && *q.MaxRecords < size {
		size = *q.MaxRecords
	}
	var after int64 = -1 << 62
	if len(at.NextIDs) > 0 {
		after = at.NextIDs[0] - 1
	}
	items := []map[string]any{}
	var next any // null on the last page
	for _, rec := range s.snapshot(e, after) {
		if !q.matches(rec) {
			continue
		}
		if len(items) == size {
			cursor := paging{PageSize: size, PreviousIDs: []int64{int64(items[0]["id"].(float64))},
				NextIDs: []int64{int64(rec["id"].(float64))}}
			b, _ := json.Marshal(cursor)
			u := s.srv.URL + "/ATServicesRest/V1.0/" + e.name + "/query/next?paging=" + url.QueryEscape(string(b))
			if search != "" {
				u += "&search=" + url.QueryEscape(search)
			}
			next = u
			break
		}
		items = append(items, rec)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"items": s.page2wire(e, items, q),
		"pageDetails": map[string]any{
			"count": len(items), "requestCount": size, "prevPageUrl": nil, "nextPageUrl": next,
		},
	})
}

// snapshot is the entity's records with ids above after, in id order.
// Records are never changed in place, so they are read without the lock.
func (s *Server) snapshot(e *entity, after int64) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tables[e.name]
	start := sort.Search(len(t.ids), func(i int) bool { return t.ids[i] > after })
	out := make([]map[string]any, 0, len(t.ids)-start)
	for _, id := range t.ids[start:] {
		out = append(out, t.rows[id])
	}
	return out
}

// page2wire writes a page's records as Autotask answers them: with
// IncludeFields only those fields and id, and only the UDFs it names; the
// userDefinedFields collection is left out when no record of the page has
// a UDF value ("the response will not include the userDefinedFields
// collection", UserdefinedFieldsUDFs help page).
func (s *Server) page2wire(e *entity, items []map[string]any, q *queryBody) []any {
	out := make([]any, len(items))
	anyUDF := false
	for i, rec := range items {
		p := project(rec, q.IncludeFields, q.udfs)
		if udfs, ok := p["userDefinedFields"].([]any); ok && hasValue(udfs) {
			anyUDF = true
		}
		items[i] = p
	}
	for i, rec := range items {
		if !anyUDF {
			delete(rec, "userDefinedFields")
		}
		out[i] = s.wire(e, rec)
	}
	return out
}

func hasValue(udfs []any) bool {
	for _, u := range udfs {
		if m, ok := u.(map[string]any); ok && m["value"] != nil {
			return true
		}
	}
	return false
}

// project keeps only the included fields, id, and the named UDFs.
func project(rec map[string]any, include, udfs []string) map[string]any {
	if len(include) == 0 {
		out := make(map[string]any, len(rec))
		for k, v := range rec {
			out[k] = v
		}
		return out
	}
	out := map[string]any{"id": rec["id"]}
	for _, name := range include {
		out[name] = rec[name]
	}
	if all, ok := rec["userDefinedFields"].([]any); ok && len(udfs) > 0 {
		kept := []any{}
		for _, u := range all {
			if m, ok := u.(map[string]any); ok && slices.ContainsFunc(udfs, func(n string) bool { return strings.EqualFold(n, text(m["name"])) }) {
				kept = append(kept, u)
			}
		}
		out["userDefinedFields"] = kept
	}
	return out
}
