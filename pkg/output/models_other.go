package output

import "github.com/portalctl/portalctl/pkg/api"

// Notes is the row model of api.Note (project notes).
var Notes = NewModel(
	Shown("id", "ID", func(n *api.Note) Value { return Int(n.ID) }),
	Extra("project_id", "Project ID", func(n *api.Note) Value { return Int(n.ProjectID) }),
	Shown("title", "Title", func(n *api.Note) Value { return Str(n.Title) }),
	Extra("body", "Body", func(n *api.Note) Value { return Str(n.Body) }),
	Shown("author", "Author", func(n *api.Note) Value { return Str(n.Author) }),
	Shown("created_at", "Created", func(n *api.Note) Value { return Time(n.CreatedAt) }),
)

// TaskNotes is the row model of api.TaskNote.
var TaskNotes = NewModel(
	Shown("id", "ID", func(n *api.TaskNote) Value { return Int(n.ID) }),
	Extra("task_id", "Task ID", func(n *api.TaskNote) Value { return Int(n.TaskID) }),
	Shown("subject", "Subject", func(n *api.TaskNote) Value { return Str(n.Subject) }),
	Extra("body", "Body", func(n *api.TaskNote) Value { return Str(n.Body) }),
	Shown("author", "Author", func(n *api.TaskNote) Value { return Str(n.Author) }),
	Shown("created_at", "Created", func(n *api.TaskNote) Value { return Time(n.CreatedAt) }),
)

// TicketNotes is the row model of api.TicketNote.
var TicketNotes = NewModel(
	Shown("id", "ID", func(n *api.TicketNote) Value { return Int(n.ID) }),
	Extra("ticket_id", "Ticket ID", func(n *api.TicketNote) Value { return Int(n.TicketID) }),
	Shown("title", "Title", func(n *api.TicketNote) Value { return Str(n.Title) }),
	Extra("body", "Body", func(n *api.TicketNote) Value { return Str(n.Body) }),
	Shown("author", "Author", func(n *api.TicketNote) Value { return Str(n.Author) }),
	Shown("created_at", "Created", func(n *api.TicketNote) Value { return Time(n.CreatedAt) }),
)

// Attachments is the row model of api.Attachment (metadata only).
var Attachments = NewModel(
	Shown("id", "ID", func(a *api.Attachment) Value { return Int(a.ID) }),
	Extra("project_id", "Project ID", func(a *api.Attachment) Value { return Int(a.ProjectID) }),
	Shown("task_id", "Task ID", func(a *api.Attachment) Value { return IntPtr(a.TaskID) }),
	Shown("name", "Name", func(a *api.Attachment) Value { return Str(a.Name) }),
	Shown("content_type", "Type", func(a *api.Attachment) Value { return Str(a.ContentType) }),
	Shown("size", "Size", func(a *api.Attachment) Value { return Int(a.Size) }),
	Extra("sha256", "SHA-256", func(a *api.Attachment) Value { return Ident(a.SHA256) }),
	Shown("created_at", "Created", func(a *api.Attachment) Value { return Time(a.CreatedAt) }),
)

// Events is the row model of api.Event (project calendar).
var Events = NewModel(
	Shown("id", "ID", func(e *api.Event) Value { return Int(e.ID) }),
	Extra("project_id", "Project ID", func(e *api.Event) Value { return Int(e.ProjectID) }),
	Shown("title", "Title", func(e *api.Event) Value { return Str(e.Title) }),
	Shown("starts_at", "Starts", func(e *api.Event) Value { return Time(e.StartsAt) }),
	Shown("ends_at", "Ends", func(e *api.Event) Value { return Time(e.EndsAt) }),
	Shown("all_day", "All day", func(e *api.Event) Value { return Bool(e.AllDay) }),
	Shown("location", "Location", func(e *api.Event) Value { return Str(e.Location) }),
	Extra("description", "Description", func(e *api.Event) Value { return Str(e.Description) }),
)

// TeamMembers is the row model of api.TeamMember.
var TeamMembers = NewModel(
	Shown("kind", "Kind", func(m *api.TeamMember) Value { return Ident(m.Kind) }),
	Extra("id", "ID", func(m *api.TeamMember) Value { return Int(m.ID) }),
	Shown("name", "Name", func(m *api.TeamMember) Value { return Str(m.Name) }),
	Shown("organization", "Organization", func(m *api.TeamMember) Value { return Str(m.Organization) }),
	Shown("email", "Email", func(m *api.TeamMember) Value { return Ident(m.Email) }),
	Shown("phone", "Phone", func(m *api.TeamMember) Value { return Ident(m.Phone) }),
	Shown("role", "Role", func(m *api.TeamMember) Value { return Str(m.Role) }),
)

// Tokens is the row model of api.Token (never the secret).
var Tokens = NewModel(
	Shown("id", "ID", func(t *api.Token) Value { return Int(t.ID) }),
	Shown("name", "Name", func(t *api.Token) Value { return Str(t.Name) }),
	Shown("created_at", "Created", func(t *api.Token) Value { return Time(t.CreatedAt) }),
	Shown("expires_at", "Expires", func(t *api.Token) Value { return TimePtr(t.ExpiresAt) }),
	Shown("last_used_at", "Last used", func(t *api.Token) Value { return TimePtr(t.LastUsedAt) }),
	Shown("current", "Current", func(t *api.Token) Value { return Bool(t.Current) }),
)

// EmailResults is the row model of api.EmailResult (team email).
var EmailResults = NewModel(
	Shown("id", "ID", func(r *api.EmailResult) Value { return Int(r.ID) }),
	Shown("recipients", "Recipients", func(r *api.EmailResult) Value { return Strings(r.Recipients) }),
	Shown("status", "Status", func(r *api.EmailResult) Value { return Ident(r.Status) }),
)

// RecipientStatuses is the row model of api.RecipientStatus: one
// recipient's copy of a team email (team email status).
var RecipientStatuses = NewModel(
	Shown("address", "Recipient", func(r *api.RecipientStatus) Value { return Str(r.Address) }),
	Shown("status", "Status", func(r *api.RecipientStatus) Value { return Str(r.Status) }),
	Shown("attempts", "Attempts", func(r *api.RecipientStatus) Value { return Int(int64(r.Attempts)) }),
	Shown("reply_code", "Code", func(r *api.RecipientStatus) Value {
		if r.ReplyCode == nil {
			return Null()
		}
		return Int(int64(*r.ReplyCode))
	}),
	Shown("reply", "Reply", func(r *api.RecipientStatus) Value { return Str(r.Reply) }),
	Shown("sent_at", "Sent", func(r *api.RecipientStatus) Value { return TimePtr(r.SentAt) }),
)
