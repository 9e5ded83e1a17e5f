package autotask

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// allRecords is the filter for "no filter": Autotask requires at least one
// filter item in a query.
var allRecords = []Filter{Gte("id", 0)}

type queryPage struct {
	Items       []json.RawMessage `json:"items"`
	PageDetails struct {
		Count       int    `json:"count"`
		NextPageURL string `json:"nextPageUrl"`
	} `json:"pageDetails"`
}

// Query runs POST {Entity}/query and streams every record of every page to
// each, fetching the next page only when each has taken the previous one.
// A nextPageUrl of a POST query is fetched with POST and the same body (a
// GET answers 405; docs/autotask.md §4). Query stops at the first error,
// each's included, which it returns unchanged. Each page is one call under
// the budget.
func (c *Client) Query(ctx context.Context, entity string, q Query, each func(Item) error) error {
	if q.MaxRecords <= 0 || q.MaxRecords > pageSize {
		q.MaxRecords = pageSize
	}
	if len(q.Filter) == 0 {
		q.Filter = allRecords
	}
	if err := checkFilters(entity, q.Filter); err != nil {
		return err
	}
	if len(q.IncludeFields) > 0 && !slices.ContainsFunc(q.IncludeFields, isIDField) {
		// Autotask needs id among IncludeFields to page past 500 records.
		q.IncludeFields = append([]string{"id"}, q.IncludeFields...)
	}
	body, err := json.Marshal(q)
	if err != nil {
		return fmt.Errorf("autotask: encoding %s query: %w", entity, err)
	}
	var page queryPage
	r := request{method: http.MethodPost, url: c.endpoint(entity + "/query"), entity: entity, body: body}
	if err := c.do(ctx, r, &page); err != nil {
		return err
	}
	for {
		for _, item := range page.Items {
			if err := each(item); err != nil {
				return err
			}
		}
		if page.PageDetails.NextPageURL == "" {
			return nil
		}
		next, err := c.nextPage(entity, page.PageDetails.NextPageURL)
		if err != nil {
			return err
		}
		page = queryPage{}
		if err := c.do(ctx, request{method: http.MethodPost, url: next, entity: entity, body: body}, &page); err != nil {
			return err
		}
	}
}

// nextPage checks that nextPageUrl points at the same API host before the
// credentials are sent there.
func (c *Client) nextPage(entity, raw string) (*url.URL, error) {
	u, err := c.base.Parse(raw)
	if err != nil || !strings.EqualFold(u.Scheme, c.base.Scheme) || !strings.EqualFold(u.Host, c.base.Host) {
		return nil, &UnavailableError{Reason: fmt.Sprintf("the %s query answered a nextPageUrl on another host; not following it", entity)}
	}
	return u, nil
}

// Count runs POST {Entity}/query/count.
func (c *Client) Count(ctx context.Context, entity string, filter []Filter) (int, error) {
	if len(filter) == 0 {
		filter = allRecords
	}
	if err := checkFilters(entity, filter); err != nil {
		return 0, err
	}
	body, err := json.Marshal(struct {
		Filter []Filter `json:"filter"`
	}{filter})
	if err != nil {
		return 0, fmt.Errorf("autotask: encoding %s count: %w", entity, err)
	}
	var res struct {
		QueryCount int `json:"queryCount"`
	}
	r := request{method: http.MethodPost, url: c.endpoint(entity + "/query/count"), entity: entity, body: body}
	if err := c.do(ctx, r, &res); err != nil {
		return 0, err
	}
	return res.QueryCount, nil
}

// Get reads GET {Entity}/{id} into out. A missing record (an "item" of
// null, or a 404) is ErrNotFound.
func (c *Client) Get(ctx context.Context, entity string, id int64, out any) error {
	path := entity + "/" + strconv.FormatInt(id, 10)
	return c.getOne(ctx, path, entity, out)
}

// GetChild reads GET {Parent}/{parentId}/{Child}/{id} into out, for
// example Projects/5/Attachments/9, whose item carries the base64 data.
func (c *Client) GetChild(ctx context.Context, parent string, parentID int64, child string, id int64, out any) error {
	path := fmt.Sprintf("%s/%d/%s/%d", parent, parentID, child, id)
	return c.getOne(ctx, path, parent+"/"+child, out)
}

func (c *Client) getOne(ctx context.Context, path, entity string, out any) error {
	var res struct {
		Item  json.RawMessage `json:"item"`
		Items json.RawMessage `json:"items"` // a list, or one object (an attachment's child read)
	}
	err := c.do(ctx, request{method: http.MethodGet, url: c.endpoint(path), entity: entity}, &res)
	if apiErr := (*APIError)(nil); errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound {
		return fmt.Errorf("%w: %s", ErrNotFound, path)
	}
	if err != nil {
		return err
	}
	raw := res.Item
	if isNull(raw) {
		raw = firstItem(res.Items)
	}
	if isNull(raw) {
		return fmt.Errorf("%w: %s", ErrNotFound, path)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return &UnavailableError{Reason: "GET " + path + " answered a record that does not decode", Err: err}
	}
	return nil
}

// firstItem is an "items" value's record: the first of a list, or the
// object itself. apigrate's README prints an attachment's child read as
// { items: { id, …, data } }; n8n-nodes-autotask reads items[0].
func firstItem(items json.RawMessage) json.RawMessage {
	var list []json.RawMessage
	if json.Unmarshal(items, &list) == nil {
		if len(list) == 0 {
			return nil
		}
		return list[0]
	}
	return items
}

func isIDField(name string) bool { return strings.EqualFold(name, "id") }

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// Create runs POST {path} (an entity, "Tasks", or a child collection,
// "Projects/5/Tasks") with record and returns the new itemId.
func (c *Client) Create(ctx context.Context, path string, record any) (int64, error) {
	return c.write(ctx, http.MethodPost, path, record)
}

// Update runs PATCH {path} with record, which carries the id and only the
// fields to change, and returns the itemId. Autotask patches collection
// paths only ("Projects/5/Tasks", not "Tasks/31"; docs/autotask.md §6).
func (c *Client) Update(ctx context.Context, path string, record any) (int64, error) {
	return c.write(ctx, http.MethodPatch, path, record)
}

func (c *Client) write(ctx context.Context, method, path string, record any) (int64, error) {
	body, err := json.Marshal(record)
	if err != nil {
		return 0, fmt.Errorf("autotask: encoding %s %s: %w", method, path, err)
	}
	var res struct {
		ItemID int64 `json:"itemId"`
	}
	r := request{method: method, url: c.endpoint(path), entity: endpointOf(path), body: body, write: true}
	if err := c.do(ctx, r, &res); err != nil {
		return 0, err
	}
	return res.ItemID, nil
}

// Fields reads GET {Entity}/entityInformation/fields: every field with its
// type and, for picklists, the values with their labels.
func (c *Client) Fields(ctx context.Context, entity string) ([]Field, error) {
	var res struct {
		Fields []Field `json:"fields"`
	}
	r := request{method: http.MethodGet, url: c.endpoint(entity + "/entityInformation/fields"), entity: entity}
	if err := c.do(ctx, r, &res); err != nil {
		return nil, err
	}
	return res.Fields, nil
}

// endpoint resolves path against the API base.
func (c *Client) endpoint(path string) *url.URL {
	return c.base.ResolveReference(&url.URL{Path: path})
}

// endpointOf names the object endpoint a path counts against for
// Autotask's limit of 3 concurrent calls: its first segment, lower case
// ("Projects/5/Tasks" and "Projects/query" are both "projects"), as
// Autotask scopes the limit (msoukhomlinov/n8n-nodes-autotask PR #107).
func endpointOf(path string) string {
	first, _, _ := strings.Cut(strings.Trim(path, "/"), "/")
	return strings.ToLower(first)
}

// UDFs reads GET {Entity}/entityInformation/userDefinedFields: the
// user-defined fields the tenant defined on an entity.
func (c *Client) UDFs(ctx context.Context, entity string) ([]Field, error) {
	var res struct {
		Fields []Field `json:"fields"`
	}
	r := request{method: http.MethodGet, url: c.endpoint(entity + "/entityInformation/userDefinedFields"), entity: entity}
	if err := c.do(ctx, r, &res); err != nil {
		return nil, err
	}
	return res.Fields, nil
}
