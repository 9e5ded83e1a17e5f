package output

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// appendJSON writes the value as the API does: times unchanged (the API
// sends UTC), decimals as numbers with two decimals, dates as strings.
func (v Value) appendJSON(dst []byte) []byte {
	switch v.kind {
	case kindNull:
		return append(dst, "null"...)
	case kindString, kindDate:
		return api.AppendJSONString(dst, v.s)
	case kindInt:
		return strconv.AppendInt(dst, v.i, 10)
	case kindBool:
		return strconv.AppendBool(dst, v.i == 1)
	case kindDecimal:
		return appendDecimal(dst, v.i)
	case kindTime:
		dst = append(dst, '"')
		dst = v.t.AppendFormat(dst, time.RFC3339Nano)
		return append(dst, '"')
	case kindStrings:
		dst = append(dst, '[')
		for i, s := range v.list {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = api.AppendJSONString(dst, s)
		}
		return append(dst, ']')
	}
	return dst
}

// jqValue converts the value to the types gojq accepts. Decimals become
// json.Number so that jq prints 3.00 the way the API sent it.
func (v Value) jqValue() any {
	switch v.kind {
	case kindString, kindDate:
		return v.s
	case kindInt:
		return int(v.i)
	case kindBool:
		return v.i == 1
	case kindDecimal:
		return json.Number(appendDecimal(nil, v.i))
	case kindTime:
		return v.t.Format(time.RFC3339Nano)
	case kindStrings:
		list := make([]any, len(v.list))
		for i, s := range v.list {
			list[i] = s
		}
		return list
	}
	return nil
}
