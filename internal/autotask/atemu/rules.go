package atemu

// Autotask's business rules on writes that the bridge can run into
// (docs/autotask.md §6). Both run with s.mu held.

// businessRules are the checks on a whole record after a write; each
// failure is an error message (Autotask answers them with 500).
func (s *Server) businessRules(e *entity, rec map[string]any) []string {
	var problems []string
	if e.name == "Tasks" && rec["assignedResourceID"] != nil && rec["assignedResourceRoleID"] == nil {
		problems = append(problems, "assignedResourceRoleID is required when assignedResourceID is set.")
	}
	return problems
}

// impersonate keeps a new note's createdByContactID only when Autotask
// would: the note is published to all (publish 1), the contact and its
// company are active, and the project belongs to the contact's company or
// one of its children. Otherwise the note is the API user's, silently.
func (s *Server) impersonate(e *entity, rec map[string]any) {
	contactID, ok := rec["createdByContactID"].(float64)
	if !ok || (e.name != "ProjectNotes" && e.name != "TaskNotes") {
		return
	}
	projectID := rec["projectID"]
	if e.name == "TaskNotes" {
		if task := s.tables["Tasks"].rows[int64(rec["taskID"].(float64))]; task != nil {
			projectID = task["projectID"]
		}
	}
	contact := s.tables["Contacts"].rows[int64(contactID)]
	allowed := rec["publish"] == 1.0 && contact != nil && contact["isActive"] == 1.0
	if allowed {
		company := s.tables["Companies"].rows[int64(contact["companyID"].(float64))]
		allowed = company != nil && company["isActive"] == true && s.underCompany(projectID, contact["companyID"])
	}
	if !allowed {
		rec["createdByContactID"] = nil
	}
}

// underCompany says whether the project's company is the given company or
// one of its descendants.
func (s *Server) underCompany(projectID, companyID any) bool {
	id, _ := projectID.(float64)
	project := s.tables["Projects"].rows[int64(id)]
	if project == nil {
		return false
	}
	at := project["companyID"]
	for range 100 { // parent chains are short; the bound guards against a cycle
		if at == companyID {
			return true
		}
		n, ok := at.(float64)
		company := s.tables["Companies"].rows[int64(n)]
		if !ok || company == nil || company["parentCompanyID"] == nil {
			return false
		}
		at = company["parentCompanyID"]
	}
	return false
}
