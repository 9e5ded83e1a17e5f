package api

import (
	"encoding/json"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in      string
		want    Decimal
		wantErr bool
	}{
		{"3", 300, false},
		{"3.5", 350, false},
		{"3.50", 350, false},
		{"0.01", 1, false},
		{"-0.25", -25, false},
		{"120", 12000, false},
		{"1.500", 150, false}, // trailing zeros beyond two decimals are exact
		{"1.005", 0, true},    // a third significant decimal would be rounded: refuse
		{"1e2", 0, true},
		{"", 0, true},
		{"1.", 0, true},
		{".5", 0, true},
		{"abc", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseDecimal(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDecimal(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDecimal(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestDecimalJSONHasNoFloatNoise(t *testing.T) {
	// 30 items of 0.1 h: as float64 this sums to 2.9999999999999996.
	var sum Decimal
	for range 30 {
		var d Decimal
		if err := json.Unmarshal([]byte("0.1"), &d); err != nil {
			t.Fatal(err)
		}
		sum += d
	}
	b, _ := json.Marshal(struct {
		Hours Decimal `json:"hours"`
	}{sum})
	if string(b) != `{"hours":3.00}` {
		t.Fatalf("got %s", b)
	}
	if got := Decimal(-50).String(); got != "-0.50" {
		t.Fatalf("negative: got %s", got)
	}
}

func TestMulRound(t *testing.T) {
	if got := NewDecimal(3, 0).MulRound(NewDecimal(150, 0)); got.String() != "450.00" {
		t.Fatalf("3 × 150 = %s", got)
	}
	if got := NewDecimal(0, 33).MulRound(NewDecimal(10, 5)); got.String() != "3.32" { // 3.3165
		t.Fatalf("0.33 × 10.05 = %s", got)
	}
}

func TestParseDate(t *testing.T) {
	for _, ok := range []string{"2026-01-05", "2024-02-29"} {
		if _, err := ParseDate(ok); err != nil {
			t.Errorf("ParseDate(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"2026-1-5", "2025-02-29", "2026-01-05T00:00:00Z", ""} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}

func TestHTTPStatusCoversEveryCode(t *testing.T) {
	for code, status := range codeStatus {
		if HTTPStatus(code) != status || status < 400 {
			t.Errorf("%s → %d", code, status)
		}
	}
	if HTTPStatus("nonsense") != 500 {
		t.Error("unknown code should be 500")
	}
}

func TestDecimalString(t *testing.T) {
	for d, want := range map[Decimal]string{0: "0.00", 5: "0.05", -5: "-0.05", 10: "0.10", 100: "1.00", -100: "-1.00", 123456: "1234.56"} {
		if got := d.String(); got != want {
			t.Errorf("Decimal(%d) = %q, want %q", int64(d), got, want)
		}
	}
}
