package output

import "github.com/portalctl/portalctl/pkg/api"

// BilledHoursTotals is the row model of api.BilledHoursTotal: one group of
// a billed-hours summary (the command picks the columns of its keys).
var BilledHoursTotals = NewModel(
	Extra("client_id", "Client ID", func(t *api.BilledHoursTotal) Value { return IntPtr(t.ClientID) }),
	Shown("client_name", "Client", func(t *api.BilledHoursTotal) Value { return StrPtr(t.ClientName) }),
	Extra("project_id", "Project ID", func(t *api.BilledHoursTotal) Value { return IntPtr(t.ProjectID) }),
	Shown("project_number", "Project", func(t *api.BilledHoursTotal) Value { return IdentPtr(t.ProjectNumber) }),
	Shown("project_name", "Project name", func(t *api.BilledHoursTotal) Value { return StrPtr(t.ProjectName) }),
	Shown("month", "Month", func(t *api.BilledHoursTotal) Value { return IdentPtr(t.Month) }),
	Shown("resource", "Resource", func(t *api.BilledHoursTotal) Value { return StrPtr(t.Resource) }),
	Extra("items", "Items", func(t *api.BilledHoursTotal) Value { return Int(t.Items) }),
	Shown("hours_worked", "Hours worked", func(t *api.BilledHoursTotal) Value { return Dec(t.HoursWorked) }),
	Shown("hours_billed", "Hours billed", func(t *api.BilledHoursTotal) Value { return Dec(t.HoursBilled) }),
	Shown("amount", "Amount", func(t *api.BilledHoursTotal) Value { return DecPtr(t.Amount) }),
)
