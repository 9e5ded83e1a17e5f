package api

import "strconv"

// AppendJSON appends p as one JSON object, byte for byte what a json.Encoder
// with SetEscapeHTML(false) writes for it (without the newline). Project
// list pages are portald's most requested answer, and encoding/json's
// reflection was ~5 % of its CPU under load. The error is the one
// encoding/json would report (a completed_at it cannot write).
func (p Project) AppendJSON(dst []byte) ([]byte, error) {
	dst, err := p.appendFields(append(dst, '{'))
	return append(dst, '}'), err
}

// AppendJSON appends p as encoding/json writes it: the embedded Project's
// fields, then billed_hours. It must exist: without it Project's AppendJSON
// would be promoted and silently drop billed_hours.
func (p EndClientProject) AppendJSON(dst []byte) ([]byte, error) {
	dst, err := p.Project.appendFields(append(dst, '{'))
	dst = append(dst, `,"billed_hours":`...)
	dst = p.BilledHours.Append(dst)
	return append(dst, '}'), err
}

// appendFields appends Project's members in declaration order (encoding/json's
// order), without the braces, so that EndClientProject can extend them.
func (p *Project) appendFields(dst []byte) ([]byte, error) {
	dst = append(dst, `"id":`...)
	dst = strconv.AppendInt(dst, p.ID, 10)
	dst = append(dst, `,"number":`...)
	dst = AppendJSONString(dst, p.Number)
	dst = append(dst, `,"name":`...)
	dst = AppendJSONString(dst, p.Name)
	dst = append(dst, `,"status":`...)
	dst = AppendJSONString(dst, p.Status)
	dst = append(dst, `,"organization_id":`...)
	dst = strconv.AppendInt(dst, p.OrganizationID, 10)
	dst = append(dst, `,"organization_name":`...)
	dst = AppendJSONString(dst, p.OrganizationName)
	dst = append(dst, `,"start_date":`...)
	dst = appendJSONDatePtr(dst, p.StartDate)
	dst = append(dst, `,"end_date":`...)
	dst = appendJSONDatePtr(dst, p.EndDate)
	dst = append(dst, `,"completed_at":`...)
	dst, err := appendJSONTimePtr(dst, p.CompletedAt)
	dst = append(dst, `,"lead":`...)
	dst = appendJSONStringPtr(dst, p.Lead)
	dst = append(dst, `,"description":`...)
	dst = AppendJSONString(dst, p.Description)
	dst = append(dst, `,"estimated_hours":`...)
	dst = appendJSONDecimalPtr(dst, p.EstimatedHours)
	dst = append(dst, `,"percent_complete":`...)
	dst = appendJSONDecimalPtr(dst, p.PercentComplete)
	return dst, err
}

// appendJSONDatePtr writes a *Date as encoding/json does: Date is a plain
// string type, so a quoted string or null.
func appendJSONDatePtr(dst []byte, p *Date) []byte {
	if p == nil {
		return append(dst, "null"...)
	}
	return AppendJSONString(dst, string(*p))
}
