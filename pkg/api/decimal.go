package api

import (
	"fmt"
	"strconv"
	"strings"
)

// Decimal is an exact non-float number with two decimal places, stored as
// hundredths. Hours, rates, amounts and percentages use it so that a total of
// many 0.1 h items is exact and JSON never shows float noise (3.00, not
// 2.9999999999999996).
type Decimal int64

// NewDecimal returns units + hundredths/100, e.g. NewDecimal(3, 50) is 3.50.
func NewDecimal(units, hundredths int64) Decimal { return Decimal(units*100 + hundredths) }

// Hundredths returns the value in hundredths.
func (d Decimal) Hundredths() int64 { return int64(d) }

// String formats with exactly two decimals: "3.00", "-0.50".
func (d Decimal) String() string { return string(d.Append(make([]byte, 0, 24))) }

// Append appends the String form to dst. Exports format millions of hours,
// so this avoids fmt and allocates nothing beyond dst.
func (d Decimal) Append(dst []byte) []byte {
	v := int64(d)
	if v < 0 {
		dst = append(dst, '-')
		v = -v // Decimal never holds math.MinInt64: hours are far smaller
	}
	dst = strconv.AppendInt(dst, v/100, 10)
	cents := v % 100
	return append(dst, '.', byte('0'+cents/10), byte('0'+cents%10))
}

// MarshalJSON writes a JSON number with two decimals.
func (d Decimal) MarshalJSON() ([]byte, error) { return d.Append(make([]byte, 0, 24)), nil }

// UnmarshalJSON reads a JSON number (or a numeric string) with at most two
// decimals, without going through float64.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := ParseDecimal(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDecimal parses "12", "12.5", "-0.25" or "1e2"-free decimal text
// exactly. More than two decimals is an error rather than a silent rounding.
func ParseDecimal(s string) (Decimal, error) {
	if s == "" {
		return 0, fmt.Errorf("empty number")
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && frac == "") || strings.ContainsAny(whole+frac, "eE+-") {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	for len(frac) > 2 && strings.HasSuffix(frac, "0") {
		frac = frac[:len(frac)-1]
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("%s.%s has more than 2 decimals", whole, frac)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > (1<<62)/100 {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	v := w*100 + f
	if neg {
		v = -v
	}
	return Decimal(v), nil
}

// MulRound returns d × e rounded half away from zero to hundredths (for
// amount = hours billed × rate).
func (d Decimal) MulRound(e Decimal) Decimal {
	p := int64(d) * int64(e) // ten-thousandths
	if p >= 0 {
		return Decimal((p + 50) / 100)
	}
	return Decimal((p - 50) / 100)
}
