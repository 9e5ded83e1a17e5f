package output

import "github.com/portalctl/portalctl/pkg/api"

var taskColumns = []Column[api.Task]{
	Shown("id", "ID", func(t *api.Task) Value { return Int(t.ID) }),
	Shown("number", "Number", func(t *api.Task) Value { return Ident(t.Number) }),
	Shown("title", "Title", func(t *api.Task) Value { return Str(t.Title) }),
	Extra("description", "Description", func(t *api.Task) Value { return Str(t.Description) }),
	Shown("status", "Status", func(t *api.Task) Value { return Ident(t.Status) }),
	Shown("priority", "Priority", func(t *api.Task) Value { return IdentPtr(t.Priority) }),
	Extra("is_issue", "Issue", func(t *api.Task) Value { return Bool(t.IsIssue) }),
	Extra("project_id", "Project ID", func(t *api.Task) Value { return Int(t.ProjectID) }),
	Shown("project_number", "Project", func(t *api.Task) Value { return Ident(t.ProjectNumber) }),
	Extra("project_name", "Project name", func(t *api.Task) Value { return Str(t.ProjectName) }),
	Extra("phase_id", "Phase ID", func(t *api.Task) Value { return IntPtr(t.PhaseID) }),
	Extra("contact_id", "Contact ID", func(t *api.Task) Value { return IntPtr(t.ContactID) }),
	Extra("contact_name", "Contact", func(t *api.Task) Value { return StrPtr(t.ContactName) }),
	Shown("assigned_resource", "Assigned", func(t *api.Task) Value { return StrPtr(t.AssignedResource) }),
	Extra("client_completable", "Client completable", func(t *api.Task) Value { return Bool(t.ClientCompletable) }),
	Extra("start_date", "Start", func(t *api.Task) Value { return DatePtr(t.StartDate) }),
	Shown("due_date", "Due", func(t *api.Task) Value { return DatePtr(t.DueDate) }),
	Extra("completed_at", "Completed", func(t *api.Task) Value { return TimePtr(t.CompletedAt) }),
	Extra("completed_by", "Completed by", func(t *api.Task) Value { return StrPtr(t.CompletedBy) }),
	Extra("created_at", "Created", func(t *api.Task) Value { return TimePtr(t.CreatedAt) }),
}

// Tasks is the row model of api.Task: tasks, open tasks and issues.
var Tasks = NewModel(taskColumns...)

// CompleteResults is the row model of api.CompleteResult (tasks complete):
// the task columns plus already_complete.
var CompleteResults = NewModel(append(
	Adapt(taskColumns, func(r *api.CompleteResult) *api.Task { return &r.Task }),
	Shown("already_complete", "Already complete", func(r *api.CompleteResult) Value { return Bool(r.AlreadyComplete) }),
)...)

// FiledIssue is what `issue new` prints: the issue, and whether this run
// created it (false: it was already open, or an earlier run with the same
// Idempotency-Key filed it).
type FiledIssue struct {
	Issue   api.Task
	Created bool
}

// FiledIssues is the row model of FiledIssue: the task columns plus created.
var FiledIssues = NewModel(append(
	Adapt(taskColumns, func(f *FiledIssue) *api.Task { return &f.Issue }),
	Shown("created", "Created", func(f *FiledIssue) Value { return Bool(f.Created) }),
)...)

// BilledHours is the row model of api.BilledHoursRow (endclient hours).
var BilledHours = NewModel(
	Shown("id", "ID", func(b *api.BilledHoursRow) Value { return Int(b.ID) }),
	Shown("entry", "Entry", func(b *api.BilledHoursRow) Value { return Str(b.Entry) }),
	Shown("worked_date", "Worked", func(b *api.BilledHoursRow) Value { return DateV(b.WorkedDate) }),
	Extra("billed_at", "Billed at", func(b *api.BilledHoursRow) Value { return TimePtr(b.BilledAt) }),
	Shown("hours_worked", "Hours worked", func(b *api.BilledHoursRow) Value { return Dec(b.HoursWorked) }),
	Shown("hours_billed", "Hours billed", func(b *api.BilledHoursRow) Value { return Dec(b.HoursBilled) }),
	Extra("client_id", "Client ID", func(b *api.BilledHoursRow) Value { return Int(b.ClientID) }),
	Shown("client_name", "Client", func(b *api.BilledHoursRow) Value { return Str(b.ClientName) }),
	Extra("project_id", "Project ID", func(b *api.BilledHoursRow) Value { return Int(b.ProjectID) }),
	Shown("project_number", "Project", func(b *api.BilledHoursRow) Value { return Ident(b.ProjectNumber) }),
	Extra("project_name", "Project name", func(b *api.BilledHoursRow) Value { return Str(b.ProjectName) }),
	Extra("task_id", "Task ID", func(b *api.BilledHoursRow) Value { return IntPtr(b.TaskID) }),
	Shown("task_number", "Task", func(b *api.BilledHoursRow) Value { return IdentPtr(b.TaskNumber) }),
	Extra("task_title", "Task title", func(b *api.BilledHoursRow) Value { return StrPtr(b.TaskTitle) }),
	Shown("resource", "Resource", func(b *api.BilledHoursRow) Value { return StrPtr(b.Resource) }),
	Extra("rate", "Rate", func(b *api.BilledHoursRow) Value { return DecPtr(b.Rate) }),
	Shown("amount", "Amount", func(b *api.BilledHoursRow) Value { return DecPtr(b.Amount) }),
	Shown("description", "Description", func(b *api.BilledHoursRow) Value { return Str(b.Description) }),
)
