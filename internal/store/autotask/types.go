package autotask

import (
	"bytes"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/portalctl/portalctl/pkg/api"
)

// Value types of Autotask records that JSON alone does not decode the way
// the portal needs.

// flexBool reads true/false, 1/0 and null (Contacts.isActive is an integer,
// Resources.isActive a boolean).
type flexBool bool

func (b *flexBool) UnmarshalJSON(raw []byte) error {
	switch s := strings.Trim(string(raw), `"`); s {
	case "true", "1":
		*b = true
	case "false", "0", "null", "":
		*b = false
	default:
		return fmt.Errorf("%s is not a boolean", raw)
	}
	return nil
}

// pickID is a picklist value id: Autotask sends a number (sometimes as a
// string), or null (0 here).
type pickID int64

func (p *pickID) UnmarshalJSON(raw []byte) error {
	s := strings.Trim(string(raw), `"`)
	if s == "null" || s == "" {
		*p = 0
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	*p = pickID(v)
	return err
}

// atDec is an Autotask decimal (hours, rates), rounded half away from zero
// to the portal's hundredths: Autotask keeps up to four decimals.
type atDec api.Decimal

func (d *atDec) UnmarshalJSON(raw []byte) error {
	s := string(bytes.Trim(raw, `"`))
	if s == "null" || s == "" {
		*d = 0
		return nil
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return fmt.Errorf("%s is not a number", raw)
	}
	r.Mul(r, big.NewRat(100, 1))
	n, rem := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(r.Denom()) >= 0 {
		n.Add(n, big.NewInt(int64(r.Sign())))
	}
	*d = atDec(n.Int64())
	return nil
}

func (d *atDec) ptr() *api.Decimal {
	if d == nil {
		return nil
	}
	v := api.Decimal(*d)
	return &v
}

// bytes reads a size in bytes Autotask sends as a double ("12345.0").
func (d atDec) bytes() int64 { return int64(d) / 100 }
