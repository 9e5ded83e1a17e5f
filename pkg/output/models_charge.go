package output

import "github.com/portalctl/portalctl/pkg/api"

// Charges is the row model of api.Charge (endclient charges).
var Charges = NewModel(
	Shown("id", "ID", func(c *api.Charge) Value { return Int(c.ID) }),
	Shown("date", "Date", func(c *api.Charge) Value { return DateV(c.Date) }),
	Extra("billed_at", "Billed at", func(c *api.Charge) Value { return TimePtr(c.BilledAt) }),
	Shown("kind", "Kind", func(c *api.Charge) Value { return Str(c.Kind) }),
	Extra("client_id", "Client ID", func(c *api.Charge) Value { return Int(c.ClientID) }),
	Shown("client_name", "Client", func(c *api.Charge) Value { return Str(c.ClientName) }),
	Extra("project_id", "Project ID", func(c *api.Charge) Value { return Int(c.ProjectID) }),
	Shown("project_number", "Project", func(c *api.Charge) Value { return Str(c.ProjectNumber) }),
	Extra("project_name", "Project name", func(c *api.Charge) Value { return Str(c.ProjectName) }),
	Extra("task_id", "Task ID", func(c *api.Charge) Value { return IntPtr(c.TaskID) }),
	Shown("name", "Name", func(c *api.Charge) Value { return Str(c.Name) }),
	Shown("quantity", "Quantity", func(c *api.Charge) Value { return Dec(c.Quantity) }),
	Extra("rate", "Rate", func(c *api.Charge) Value { return DecPtr(c.Rate) }),
	Shown("amount", "Amount", func(c *api.Charge) Value { return DecPtr(c.Amount) }),
	Shown("description", "Description", func(c *api.Charge) Value { return Str(c.Description) }),
)
