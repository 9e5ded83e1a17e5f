package output

import (
	"iter"
	"strings"

	"github.com/portalctl/portalctl/pkg/api"
)

var projectColumns = []Column[api.Project]{
	Shown("id", "ID", func(p *api.Project) Value { return Int(p.ID) }),
	Shown("number", "Number", func(p *api.Project) Value { return Ident(p.Number) }),
	Shown("name", "Name", func(p *api.Project) Value { return Str(p.Name) }),
	Shown("status", "Status", func(p *api.Project) Value { return Ident(p.Status) }),
	Extra("organization_id", "Organization ID", func(p *api.Project) Value { return Int(p.OrganizationID) }),
	Shown("organization_name", "Organization", func(p *api.Project) Value { return Str(p.OrganizationName) }),
	Extra("start_date", "Start", func(p *api.Project) Value { return DatePtr(p.StartDate) }),
	Shown("end_date", "End", func(p *api.Project) Value { return DatePtr(p.EndDate) }),
	Extra("completed_at", "Completed", func(p *api.Project) Value { return TimePtr(p.CompletedAt) }),
	Extra("lead", "Lead", func(p *api.Project) Value { return StrPtr(p.Lead) }),
	Extra("description", "Description", func(p *api.Project) Value { return Str(p.Description) }),
	Extra("estimated_hours", "Est. hours", func(p *api.Project) Value { return DecPtr(p.EstimatedHours) }),
	Shown("percent_complete", "Done %", func(p *api.Project) Value { return DecPtr(p.PercentComplete) }),
}

// Projects is the row model of api.Project (projects list/view).
var Projects = NewModel(projectColumns...)

// EndClientProjects is the row model of api.EndClientProject: the project
// columns plus billed_hours.
var EndClientProjects = NewModel(append(
	Adapt(projectColumns, func(p *api.EndClientProject) *api.Project { return &p.Project }),
	Shown("billed_hours", "Billed hours", func(p *api.EndClientProject) Value { return Dec(p.BilledHours) }),
)...)

// EndClientTickets is the row model of api.EndClientTicket.
var EndClientTickets = NewModel(
	Shown("id", "ID", func(t *api.EndClientTicket) Value { return Int(t.ID) }),
	Shown("number", "Number", func(t *api.EndClientTicket) Value { return Ident(t.Number) }),
	Shown("title", "Title", func(t *api.EndClientTicket) Value { return Str(t.Title) }),
	Shown("status", "Status", func(t *api.EndClientTicket) Value { return Ident(t.Status) }),
	Extra("priority", "Priority", func(t *api.EndClientTicket) Value { return IdentPtr(t.Priority) }),
	Extra("organization_id", "Organization ID", func(t *api.EndClientTicket) Value { return Int(t.OrganizationID) }),
	Shown("organization_name", "Organization", func(t *api.EndClientTicket) Value { return Str(t.OrganizationName) }),
	Extra("contract_id", "Contract ID", func(t *api.EndClientTicket) Value { return IntPtr(t.ContractID) }),
	Extra("assigned_resource", "Assigned", func(t *api.EndClientTicket) Value { return StrPtr(t.AssignedResource) }),
	Extra("queue", "Queue", func(t *api.EndClientTicket) Value { return Str(t.Queue) }),
	Extra("category", "Category", func(t *api.EndClientTicket) Value { return Str(t.Category) }),
	Extra("description", "Description", func(t *api.EndClientTicket) Value { return Str(t.Description) }),
	Shown("created_at", "Created", func(t *api.EndClientTicket) Value { return Time(t.CreatedAt) }),
	Extra("due_at", "Due", func(t *api.EndClientTicket) Value { return TimePtr(t.DueAt) }),
	Extra("completed_at", "Completed", func(t *api.EndClientTicket) Value { return TimePtr(t.CompletedAt) }),
	Shown("billed_hours", "Billed hours", func(t *api.EndClientTicket) Value { return Dec(t.BilledHours) }),
)

// EndClients is the row model of api.EndClient.
var EndClients = NewModel(
	Shown("id", "ID", func(c *api.EndClient) Value { return Int(c.ID) }),
	Shown("name", "Name", func(c *api.EndClient) Value { return Str(c.Name) }),
)

// Organizations is the row model of api.Organization.
var Organizations = NewModel(
	Shown("id", "ID", func(o *api.Organization) Value { return Int(o.ID) }),
	Shown("name", "Name", func(o *api.Organization) Value { return Str(o.Name) }),
	Shown("parent_id", "Parent ID", func(o *api.Organization) Value { return IntPtr(o.ParentID) }),
	Shown("time_zone", "Time zone", func(o *api.Organization) Value { return Ident(o.TimeZone) }),
)

// ScheduleItems is the row model of a flattened schedule (see
// FlattenSchedule): outline first, the title indented by depth in tables.
// The API's nested "children" key is replaced by the following rows.
var ScheduleItems = NewModel(
	Shown("outline", "Outline", func(s *api.ScheduleItem) Value { return Ident(s.Outline) }),
	Shown("kind", "Kind", func(s *api.ScheduleItem) Value { return Ident(s.Kind) }),
	Extra("id", "ID", func(s *api.ScheduleItem) Value { return Int(s.ID) }),
	Shown("title", "Title", func(s *api.ScheduleItem) Value {
		return Indented(s.Title, strings.Count(s.Outline, "."))
	}),
	Shown("number", "Number", func(s *api.ScheduleItem) Value { return IdentPtr(s.Number) }),
	Shown("status", "Status", func(s *api.ScheduleItem) Value { return IdentPtr(s.Status) }),
	Shown("start_date", "Start", func(s *api.ScheduleItem) Value { return DatePtr(s.StartDate) }),
	Shown("due_date", "Due", func(s *api.ScheduleItem) Value { return DatePtr(s.DueDate) }),
)

// FlattenSchedule yields a schedule tree depth-first (parent before its
// children), the order of the outline numbers, for ScheduleItems.
func FlattenSchedule(items []api.ScheduleItem) iter.Seq2[api.ScheduleItem, error] {
	return func(yield func(api.ScheduleItem, error) bool) {
		var walk func([]api.ScheduleItem) bool
		walk = func(list []api.ScheduleItem) bool {
			for _, it := range list {
				if !yield(it, nil) || !walk(it.Children) {
					return false
				}
			}
			return true
		}
		walk(items)
	}
}
