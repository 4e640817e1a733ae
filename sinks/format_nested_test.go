package sinks

import "testing"

func TestFormatValueNested(t *testing.T) {
	cases := []struct {
		in   any
		want string
	}{
		{[]any{"Conflict", "Flood"}, "Conflict; Flood"},
		{map[string]any{"source": "ssd", "files": int64(2)}, `{"files":2,"source":"ssd"}`},
		{[]any{map[string]any{"status": "ok"}, map[string]any{"status": "failed"}}, `[{"status":"ok"},{"status":"failed"}]`},
		{map[any]any{"type-error": int32(3), int64(7): "x"}, `{"7":"x","type-error":3}`},
		{[]any{[]any{"a"}, "b"}, `[["a"],"b"]`},
	}
	for _, c := range cases {
		if got := FormatValue(c.in); got != c.want {
			t.Errorf("FormatValue(%#v) = %s, want %s", c.in, got, c.want)
		}
	}
}
