package autotask

import (
	"context"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
	"github.com/portalctl/portalctl/pkg/api"
)

// The portal's enums; any other Autotask label reads as in_progress.
var (
	projectStatuses = map[string]bool{api.ProjectNew: true, api.ProjectInProgress: true, api.ProjectOnHold: true,
		api.ProjectInactive: true, api.ProjectComplete: true}
	taskStatuses = map[string]bool{api.TaskNew: true, api.TaskInProgress: true, api.TaskWaitingCustomer: true,
		api.TaskOnHold: true, api.TaskComplete: true}
	taskPriorities = map[string]bool{api.PriorityLow: true, api.PriorityMedium: true, api.PriorityHigh: true, api.PriorityCritical: true}
)

func enum(label string, known map[string]bool, otherwise string) string {
	if known[label] {
		return label
	}
	return otherwise
}

func (p *pass) projects(ctx context.Context) error {
	pl := p.picks["Projects"]
	team := p.y.s.opt.UDFs.TeamContacts
	return pull(ctx, p, pullSpec[atProject]{entity: "Projects", fields: append(projectFields[:len(projectFields):len(projectFields)], team),
		changed: "lastActivityDateTime", stamp: func(x atProject) at.Time { return x.Changed }, id: func(x atProject) int64 { return x.ID },
		write: func(ctx context.Context, batch []atProject) ([]int64, error) {
			var later []int64
			err := p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
				r := newRefs(m)
				for _, x := range batch {
					r.need("organizations", x.CompanyID)
					r.needOpt("contracts", x.ContractID)
					r.needOpt("resources", x.ProjectLeadResourceID)
				}
				if err := r.load(); err != nil {
					return err
				}
				for _, x := range batch {
					if !r.has("organizations", x.CompanyID) {
						later = append(later, x.ID)
						continue
					}
					// Only type Client is a client project; Baseline and
					// every other type are not (docs/autotask.md §9).
					typ := pl.name("projectType", x.ProjectType)
					if typ == "" {
						typ = "internal"
					}
					if err := m.Write(&dataset.Project{ID: x.ID, Number: x.ProjectNumber, Name: x.ProjectName,
						OrganizationID: x.CompanyID, Type: typ,
						Status:     enum(pl.name("status", x.Status), projectStatuses, api.ProjectInProgress),
						ContractID: r.opt("contracts", x.ContractID), LeadResourceID: r.opt("resources", x.ProjectLeadResourceID),
						Description: x.Description, StartDate: date(x.StartDateTime), EndDate: date(x.EndDateTime),
						CompletedAt: timePtr(x.CompletedDateTime), EstimatedHours: x.EstimatedTime.ptr(),
						PercentComplete: x.CompletedPercentage.ptr()}); err != nil {
						return err
					}
					p.touched[x.ID] = true
					p.pulled[x.ID] = udfIDs(x.UDFs, team)
				}
				return nil
			})
			return later, err
		}})
}

func (p *pass) phases(ctx context.Context) error {
	return pull(ctx, p, pullSpec[atPhase]{entity: "Phases", fields: phaseFields, changed: "lastActivityDateTime",
		stamp: func(x atPhase) at.Time { return x.Changed }, id: func(x atPhase) int64 { return x.ID },
		write: func(ctx context.Context, batch []atPhase) ([]int64, error) {
			var later []int64
			err := p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
				r := newRefs(m)
				for _, x := range batch {
					r.need("projects", x.ProjectID)
					r.needOpt("phases", x.ParentPhaseID)
					r.mine("phases", x.ID)
				}
				if err := r.load(); err != nil {
					return err
				}
				for _, x := range batch {
					if !r.has("projects", x.ProjectID) || (x.ParentPhaseID != nil && !r.has("phases", *x.ParentPhaseID)) {
						later = append(later, x.ID)
						continue
					}
					if err := m.Write(&dataset.Phase{ID: x.ID, ProjectID: x.ProjectID, ParentPhaseID: x.ParentPhaseID,
						Title: x.Title, StartDate: date(x.StartDate), DueDate: date(x.DueDate)}); err != nil {
						return err
					}
					p.touched[x.ProjectID] = true
				}
				return nil
			})
			return later, err
		}})
}

func (p *pass) tasks(ctx context.Context) error {
	u := p.y.s.opt.UDFs
	return pull(ctx, p, pullSpec[atTask]{entity: "Tasks", fields: append(taskFields[:len(taskFields):len(taskFields)], u.Contact, u.CompletedBy),
		changed: "lastActivityDateTime", stamp: func(x atTask) at.Time { return x.Changed }, id: func(x atTask) int64 { return x.ID },
		write: func(ctx context.Context, batch []atTask) ([]int64, error) {
			var later []int64
			err := p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
				r := newRefs(m)
				for _, x := range batch {
					r.need("projects", x.ProjectID)
					r.needOpt("phases", x.PhaseID)
					r.needOpt("resources", x.AssignedResourceID)
					r.needOpt("contacts", udfID(x.UDFs, u.Contact))
					r.needOpt("contacts", udfID(x.UDFs, u.CompletedBy))
				}
				if err := r.load(); err != nil {
					return err
				}
				for _, x := range batch {
					if !r.has("projects", x.ProjectID) || (x.PhaseID != nil && !r.has("phases", *x.PhaseID)) {
						later = append(later, x.ID)
						continue
					}
					if err := m.Write(taskRecord(x, r, p.picks["Tasks"], p.y.s.opt.UDFs)); err != nil {
						return err
					}
					p.touched[x.ProjectID] = true
				}
				return nil
			})
			return later, err
		}})
}

// taskRecord maps a task; its schedule position is numbered once its
// project's phases and tasks are all in (rebuildTeams).
func taskRecord(x atTask, r *refs, pl picklists, u UDFNames) *dataset.Task {
	var priority string
	if v := pl.name("priorityLabel", x.PriorityLabel); taskPriorities[v] {
		priority = v
	}
	return &dataset.Task{ID: x.ID, ProjectID: x.ProjectID, PhaseID: x.PhaseID, Number: x.TaskNumber, Title: x.Title,
		Description: x.Description, Status: enum(pl.name("status", x.Status), taskStatuses, api.TaskInProgress),
		IsIssue: pl.name("taskCategoryID", x.TaskCategoryID) == "issue", VisibleInPortal: bool(x.IsVisibleInClientPortal),
		ClientCompletable: bool(x.CanClientPortalUserCompleteTask), ContactID: r.opt("contacts", udfID(x.UDFs, u.Contact)),
		AssignedResourceID: r.opt("resources", x.AssignedResourceID), Priority: priority, StartDate: date(x.StartDateTime),
		DueDate: date(x.EndDateTime), CompletedAt: timePtr(x.CompletedDateTime),
		CompletedByContactID: r.opt("contacts", udfID(x.UDFs, u.CompletedBy)), EstimatedHours: x.EstimatedHours.ptr(),
		CreatedAt: timePtr(x.CreateDateTime)}
}

// secondaryResources have no last-change field: read whole every
// RefreshEvery, and the rows Autotask no longer has are dropped.
func (p *pass) secondaryResources(ctx context.Context) error {
	if !p.refresh {
		return nil
	}
	seen := map[int64]bool{}
	err := pull(ctx, p, pullSpec[atSecondaryResource]{entity: "TaskSecondaryResources", fields: secondaryFields,
		id: func(x atSecondaryResource) int64 { return x.ID },
		write: func(ctx context.Context, batch []atSecondaryResource) ([]int64, error) {
			return nil, p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
				for _, x := range batch {
					seen[x.ID] = true
					if err := m.SecondaryResource(x.ID, x.TaskID, x.ResourceID); err != nil {
						return err
					}
				}
				return nil
			})
		}})
	if err != nil {
		return err
	}
	var gone []int64
	if err := p.y.db.IDs(ctx, "autotask_secondary_resources", "", nil, func(id int64) error {
		if !seen[id] {
			gone = append(gone, id)
		}
		return nil
	}); err != nil {
		return err
	}
	p.touchAll = true
	if len(gone) == 0 {
		return nil
	}
	return p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error { return m.Delete("autotask_secondary_resources", gone) })
}
