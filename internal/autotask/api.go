// Package autotask is a small client for the Autotask PSA REST API v1.0, just
// what portald's Autotask copy (internal/store/autotask) needs: zone
// discovery, the three credential headers, entity queries with filters pushed
// down and paging through nextPageUrl, single and child reads, create and
// update calls, picklist discovery, typed errors from the {"errors": [...]}
// body, and a thread-safe request budget. docs/autotask.md lists each
// documented fact it relies on, with its source.
package autotask

import (
	"encoding/json"
	"time"
)

// Credentials are the three values every Autotask API call carries as the
// ApiIntegrationCode, UserName and Secret headers. They are never logged.
type Credentials struct {
	Username        string // the API user's user name (an email address)
	Secret          string
	IntegrationCode string // the API tracking identifier
}

// Filter is one item of a query's filter array. Leaf items have Op, Field and
// Value; "and"/"or" groups have Op and Items. UDF marks a user-defined field.
type Filter struct {
	Op    string   `json:"op"`
	Field string   `json:"field,omitempty"`
	Value any      `json:"value,omitempty"`
	UDF   bool     `json:"udf,omitempty"`
	Items []Filter `json:"items,omitempty"`
}

// Query is the body of POST /v1.0/{Entity}/query. The top-level filters are
// combined with "and". IncludeFields limits the fields returned (id is always
// returned). MaxRecords is 1..500; 0 means 500.
type Query struct {
	Filter        []Filter `json:"filter"`
	IncludeFields []string `json:"IncludeFields,omitempty"`
	MaxRecords    int      `json:"MaxRecords,omitempty"`
}

// PicklistValue is one value of a picklist field, from
// GET /v1.0/{Entity}/entityInformation/fields.
type PicklistValue struct {
	Value    string `json:"value"` // the id, as a string
	Label    string `json:"label"`
	IsActive bool   `json:"isActive"`
	IsSystem bool   `json:"isSystem"`
}

// Field is one field of an entity, from GET /v1.0/{Entity}/entityInformation/fields.
// The store maps picklist ids to the portal's enums by label through it.
type Field struct {
	Name           string          `json:"name"`
	DataType       string          `json:"dataType"`
	IsPickList     bool            `json:"isPickList"`
	PicklistValues []PicklistValue `json:"picklistValues"`
}

// Threshold is the answer of GET /v1.0/ThresholdInformation: the database's
// request limit, its timeframe in minutes and the requests made in it so far
// (by every integration on the database, not only portald).
type Threshold struct {
	ExternalRequestThreshold     int `json:"externalRequestThreshold"`
	RequestThresholdTimeframe    int `json:"requestThresholdTimeframe"`
	CurrentTimeframeRequestCount int `json:"currentTimeframeRequestCount"`
}

// UDF is one user-defined field of a record.
type UDF struct {
	Name  string  `json:"name"`
	Value *string `json:"value"`
}

// Item is one entity record as Autotask returns it.
type Item = json.RawMessage

// Budget limits the calls portald makes, shared by every goroutine: the
// documented limit is 10,000 requests per hour per Autotask database.
type Budget interface {
	// Take reserves one call. It returns ErrBudgetExhausted (wrapped in a
	// *RateLimitError with RetryAfter set) when the hour's budget is spent.
	Take(now time.Time) error
}
