package config

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Key is a setting users may read and change with `portalctl config`.
type Key struct {
	Name        string
	Description string
	get         func(*Profile) *string
	validate    func(string) (string, error)
}

// OutputFormats are the values of --output and of the output setting.
var OutputFormats = []string{"table", "csv", "tsv", "json", "ndjson"}

// Keys lists the settable keys, sorted by name.
var Keys = []Key{
	{"host", "portal URL, e.g. https://portal.example.com", func(p *Profile) *string { return &p.Host }, NormalizeHost},
	{"output", "default output format: " + strings.Join(OutputFormats, ", "), func(p *Profile) *string { return &p.Output }, validateOutput},
	{"tz", "time zone for timestamps (IANA name such as Europe/Berlin), overriding the organization's", func(p *Profile) *string { return &p.TZ }, validateTZ},
}

func lookupKey(name string) (Key, error) {
	for _, k := range Keys {
		if k.Name == name {
			return k, nil
		}
	}
	names := make([]string, len(Keys))
	for i, k := range Keys {
		names[i] = k.Name
	}
	sort.Strings(names)
	return Key{}, fmt.Errorf("unknown config key %q: valid keys are %s", name, strings.Join(names, ", "))
}

// Get returns a key's value in the active profile ("" when unset).
func (c *Config) Get(name string) (string, error) {
	k, err := lookupKey(name)
	if err != nil {
		return "", err
	}
	return *k.get(c.Profile()), nil
}

// Set validates and sets a key in the active profile (call Save after).
// An empty value unsets the key.
func (c *Config) Set(name, value string) error {
	k, err := lookupKey(name)
	if err != nil {
		return err
	}
	if value != "" {
		if value, err = k.validate(value); err != nil {
			return err
		}
	}
	*k.get(c.Profile()) = value
	return nil
}

func validateOutput(v string) (string, error) {
	for _, f := range OutputFormats {
		if strings.EqualFold(v, f) {
			return f, nil
		}
	}
	return "", fmt.Errorf("invalid output %q: valid values are %s", v, strings.Join(OutputFormats, ", "))
}

func validateTZ(v string) (string, error) {
	if _, err := time.LoadLocation(v); err != nil || v == "" {
		return "", fmt.Errorf("invalid time zone %q: want an IANA name such as America/New_York", v)
	}
	return v, nil
}
