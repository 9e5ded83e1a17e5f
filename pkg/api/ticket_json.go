package api

import (
	"strconv"
	"time"
)

// AppendJSON appends t as one JSON object, byte for byte what a json.Encoder
// with SetEscapeHTML(false) writes for it (without the newline): portald
// streams every end-client ticket in one answer, where encoding/json's
// reflection was most of the encoding. The error is the one encoding/json
// would report (an instant outside years 0–9999).
func (t EndClientTicket) AppendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, `{"id":`...)
	dst = strconv.AppendInt(dst, t.ID, 10)
	dst = append(dst, `,"number":`...)
	dst = AppendJSONString(dst, t.Number)
	dst = append(dst, `,"title":`...)
	dst = AppendJSONString(dst, t.Title)
	dst = append(dst, `,"description":`...)
	dst = AppendJSONString(dst, t.Description)
	dst = append(dst, `,"status":`...)
	dst = AppendJSONString(dst, t.Status)
	dst = append(dst, `,"priority":`...)
	dst = appendJSONStringPtr(dst, t.Priority)
	dst = append(dst, `,"organization_id":`...)
	dst = strconv.AppendInt(dst, t.OrganizationID, 10)
	dst = append(dst, `,"organization_name":`...)
	dst = AppendJSONString(dst, t.OrganizationName)
	dst = append(dst, `,"contract_id":`...)
	dst = appendJSONIntPtr(dst, t.ContractID)
	dst = append(dst, `,"assigned_resource":`...)
	dst = appendJSONStringPtr(dst, t.AssignedResource)
	dst = append(dst, `,"queue":`...)
	dst = AppendJSONString(dst, t.Queue)
	dst = append(dst, `,"category":`...)
	dst = AppendJSONString(dst, t.Category)
	dst = append(dst, `,"created_at":`...)
	dst, err := appendJSONTime(dst, t.CreatedAt)
	dst = append(dst, `,"due_at":`...)
	dst, err2 := appendJSONTimePtr(dst, t.DueAt)
	dst = append(dst, `,"completed_at":`...)
	dst, err3 := appendJSONTimePtr(dst, t.CompletedAt)
	dst = append(dst, `,"billed_hours":`...)
	dst = t.BilledHours.Append(dst)
	return append(dst, '}'), firstError(err, err2, err3)
}

// appendJSONTime writes what time.Time's MarshalJSON writes.
func appendJSONTime(dst []byte, t time.Time) ([]byte, error) {
	return appendJSONTimePtr(dst, &t)
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
