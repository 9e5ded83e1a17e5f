// Command atschema writes the Autotask schema extract the emulator
// (internal/autotask/atemu) is built from: for each entity portald reads or
// writes, its fields with their types, which are required on create and
// which cannot be queried, and the routes with their methods. It reads
// public sources the project did not write (see
// internal/autotask/atemu/testdata/SOURCES.md):
//
//   - Autotask's swagger file v1.json (KelvinTegelaar/AutotaskAPI): every
//     route and method, field names and types;
//   - Anteris-Dev/autotask-client src/API/<Entity>/<Entity>Entity.php,
//     generated from live entityInformation/fields: a field typed without
//     "?" was isRequired there (Anteris-Dev/autotask-client-generator
//     templates/Package/API/Entity.php.twig);
//   - the "Fields that cannot be queried" lists of Autotask's REST entity
//     help pages, written into the table below with their URLs.
//
// It is run by hand when a source changes (the sources are not vendored):
//
//	go run ./internal/tools/atschema -swagger v1.json -anteris autotask-client/src/API \
//	    > internal/autotask/atemu/testdata/autotask-schema.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// source names where one entity's facts come from.
type source struct {
	entity  string   // REST entity name (URL segment)
	model   string   // swagger definition
	anteris string   // src/API/<dir>/<file>.php, "" when Anteris has none
	noQuery []string // help page "Fields that cannot be queried"
	help    string   // that help page
}

const helpBase = "https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/REST/Entities/"

var sources = []source{
	{"Companies", "CompanyModel", "Companies/CompanyEntity.php", nil, helpBase + "CompaniesEntity.htm"},
	{"Contacts", "ContactModel", "Contacts/ContactEntity.php", nil, helpBase + "ContactsEntity.htm"},
	{"Resources", "ResourceModel", "Resources/ResourceEntity.php", nil, helpBase + "ResourcesEntity.htm"},
	{"Contracts", "ContractModel", "Contracts/ContractEntity.php", nil, helpBase + "ContractsEntity.htm"},
	{"Projects", "ProjectModel", "Projects/ProjectEntity.php", nil, helpBase + "ProjectsEntity.htm"},
	{"Phases", "PhaseModel", "Phases/PhaseEntity.php", nil, helpBase + "PhasesEntity.htm"},
	{"Tasks", "TaskModel", "Tasks/TaskEntity.php", []string{"remainingHours"}, helpBase + "TasksEntity.htm"},
	{"TaskSecondaryResources", "TaskSecondaryResourceModel", "TaskSecondaryResources/TaskSecondaryResourceEntity.php", nil,
		helpBase + "TaskSecondaryResourcesEntity.htm"},
	{"ProjectNotes", "ProjectNoteModel", "ProjectNotes/ProjectNoteEntity.php", nil, helpBase + "ProjectNotesEntity.htm"},
	{"TaskNotes", "TaskNoteModel", "TaskNotes/TaskNoteEntity.php", nil, helpBase + "TaskNotesEntity.htm"},
	{"Tickets", "TicketModel", "Tickets/TicketEntity.php", nil, helpBase + "TicketsEntity.htm"},
	{"TicketNotes", "TicketNoteModel", "TicketNotes/TicketNoteEntity.php", nil, helpBase + "TicketNotesEntity.htm"},
	{"ProjectAttachments", "ProjectAttachmentModel", "ProjectAttachments/ProjectAttachmentEntity.php",
		[]string{"creatorType", "data", "fileSize"}, helpBase + "ProjectAttachmentsEntity.htm"},
	{"AttachmentInfo", "AttachmentInfoModel", "AttachmentInfo/AttachmentInfoEntity.php", []string{"fileSize"},
		helpBase + "AttachmentInfoEntity.htm"},
	{"BillingItems", "BillingItemModel", "BillingItems/BillingItemEntity.php",
		[]string{"lineItemFullDescription", "lineItemGroupDescription"}, helpBase + "BillingItemsEntity.htm"},
	{"TimeEntries", "TimeEntryModel", "TimeEntries/TimeEntryEntity.php", nil, helpBase + "TimeEntriesEntity.htm"},
	{"ClientPortalUsers", "ClientPortalUserModel", "ClientPortalUsers/ClientPortalUserEntity.php", []string{"password"},
		helpBase + "ClientPortalUsersEntity.htm"},
}

// Field is one field of the extract.
type Field struct {
	Type      string `json:"type"` // integer, long, double, boolean, string, datetime
	Required  bool   `json:"required,omitempty"`
	NoQuery   bool   `json:"noQuery,omitempty"`
	FromModel bool   `json:"swagger"` // in the swagger model (else Anteris only)
}

// Entity is one entity of the extract.
type Entity struct {
	Help   string           `json:"help"`
	Fields map[string]Field `json:"fields"`
}

// Extract is the file written.
type Extract struct {
	Note     string            `json:"note"`
	Entities map[string]Entity `json:"entities"`
	// Routes are "METHOD Path" under /V1.0/ for the entities above (roots,
	// children and their entityInformation), plus ZoneInformation and
	// ThresholdInformation. Child routes name the child entity in Children.
	Routes   []string          `json:"routes"`
	Children map[string]string `json:"children"` // "Projects/Tasks" → "Tasks"
}

func main() {
	swaggerPath := flag.String("swagger", "v1.json", "Autotask swagger file (KelvinTegelaar/AutotaskAPI v1.json)")
	anterisDir := flag.String("anteris", "src/API", "Anteris-Dev/autotask-client src/API directory")
	flag.Parse()
	x, err := extract(*swaggerPath, *anterisDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "atschema:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(x); err != nil {
		fmt.Fprintln(os.Stderr, "atschema:", err)
		os.Exit(1)
	}
}

type swagger struct {
	Paths       map[string]map[string]struct{ Tags []string } `json:"paths"`
	Definitions map[string]struct {
		Properties map[string]struct{ Type, Format string } `json:"properties"`
	} `json:"definitions"`
}

func extract(swaggerPath, anterisDir string) (*Extract, error) {
	raw, err := os.ReadFile(swaggerPath)
	if err != nil {
		return nil, err
	}
	var sw swagger
	if err := json.Unmarshal(raw, &sw); err != nil {
		return nil, fmt.Errorf("%s: %w", swaggerPath, err)
	}
	x := &Extract{Entities: map[string]Entity{}, Children: map[string]string{},
		Note: "Generated by internal/tools/atschema from the sources in SOURCES.md; do not edit by hand."}
	known := map[string]bool{"ZoneInformation": true, "ThresholdInformation": true}
	for _, s := range sources {
		known[s.entity] = true
		e, err := entity(sw, s, anterisDir)
		if err != nil {
			return nil, err
		}
		x.Entities[s.entity] = e
	}
	x.Routes, x.Children = routes(sw, known)
	return x, nil
}

func entity(sw swagger, s source, anterisDir string) (Entity, error) {
	def, ok := sw.Definitions[s.model]
	if !ok {
		return Entity{}, fmt.Errorf("swagger has no %s", s.model)
	}
	e := Entity{Help: s.help, Fields: map[string]Field{}}
	for name, p := range def.Properties {
		if name == "UserDefinedFields" || name == "SoapParentPropertyId" || p.Type == "" {
			continue
		}
		e.Fields[camel(name)] = Field{Type: swaggerType(p.Type, p.Format), FromModel: true}
	}
	php, err := os.ReadFile(filepath.Join(anterisDir, s.anteris))
	if err != nil {
		return Entity{}, err
	}
	for _, m := range phpField.FindAllStringSubmatch(string(php), -1) {
		typ, name := m[1], m[2]
		if name == "userDefinedFields" {
			continue
		}
		key := matchName(e.Fields, name)
		f := e.Fields[key]
		if key == "" { // a field of the live metadata the 2024 swagger lacks
			key, f = name, Field{Type: phpType(typ)}
		}
		// A type without "?" was isRequired (an untyped long is neither).
		f.Required = typ != "" && !strings.HasPrefix(typ, "?")
		e.Fields[key] = f
	}
	for _, name := range s.noQuery {
		key := matchName(e.Fields, name)
		if key == "" {
			key = name
		}
		f := e.Fields[key]
		if f.Type == "" {
			f.Type = "string"
		}
		f.NoQuery = true
		e.Fields[key] = f
	}
	return e, nil
}

var phpField = regexp.MustCompile(`(?m)^    public (\??[A-Za-z]+ )?\$(\w+);`)

// matchName finds name among fields ignoring case ("" when absent).
func matchName(fields map[string]Field, name string) string {
	for k := range fields {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return ""
}

// camel lowers the first letter: the wire spells swagger's PascalCase
// names in camelCase ("BillingItemType" → "billingItemType", "SGDA" → "sgda").
func camel(name string) string {
	if strings.ToUpper(name) == name {
		return strings.ToLower(name)
	}
	return strings.ToLower(name[:1]) + name[1:]
}

func swaggerType(typ, format string) string {
	switch {
	case typ == "integer" && format == "int64":
		return "long"
	case typ == "integer":
		return "integer"
	case typ == "number":
		return "double"
	case typ == "string" && format == "date-time":
		return "datetime"
	}
	return typ
}

func phpType(typ string) string {
	switch strings.TrimSpace(strings.TrimPrefix(typ, "?")) {
	case "int":
		return "integer"
	case "float":
		return "double"
	case "bool":
		return "boolean"
	case "Carbon":
		return "datetime"
	case "":
		return "long"
	}
	return "string"
}

// routes lists every method and path of the known entities, and which
// entity each child segment is (its swagger tag without "Child").
func routes(sw swagger, known map[string]bool) ([]string, map[string]string) {
	var out []string
	children := map[string]string{}
	for path, ops := range sw.Paths {
		segs := strings.Split(strings.TrimPrefix(path, "/V1.0/"), "/")
		if !known[segs[0]] {
			continue
		}
		if len(segs) >= 3 && segs[1] == "{parentId}" {
			var tag string
			for _, op := range ops {
				if len(op.Tags) > 0 {
					tag = strings.TrimSuffix(op.Tags[0], "Child")
				}
			}
			if !known[tag] {
				continue
			}
			children[segs[0]+"/"+segs[2]] = tag
		}
		for method := range ops {
			out = append(out, strings.ToUpper(method)+" "+strings.Join(segs, "/"))
		}
	}
	sort.Strings(out)
	return out, children
}
