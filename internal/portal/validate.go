package portal

import (
	"strings"
	"unicode/utf8"

	"github.com/portalctl/portalctl/pkg/api"
)

// text checks a required, non-blank field of at most max characters.
func text(field, v string, max int) error {
	if strings.TrimSpace(v) == "" {
		return api.Invalid(field, "%s is required and must not be blank", field)
	}
	return optionalText(field, v, max)
}

// optionalText checks a field of at most max characters.
func optionalText(field, v string, max int) error {
	if n := utf8.RuneCountInString(v); n > max {
		return api.Invalid(field, "%s is too long: %d characters (at most %d)", field, n, max)
	}
	if strings.ContainsRune(v, 0) {
		// PostgreSQL cannot store NUL in text, and no person types one.
		return api.Invalid(field, "%s must not contain a NUL character", field)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
