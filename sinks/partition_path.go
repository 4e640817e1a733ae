package sinks

import (
	"fmt"
	"strings"
)

// HiveNull is the directory value for an empty partition value, as Hive,
// Spark and DuckDB write it.
const HiveNull = "__HIVE_DEFAULT_PARTITION__"

// EscapePartitionValue makes a partition value safe as one directory name:
// every byte outside [A-Za-z0-9-] is percent-encoded (so "/", "..", ":"
// and a literal "__HIVE_DEFAULT_PARTITION__" cannot escape or collide), and
// the empty value becomes HiveNull. DuckDB and Spark decode the escapes.
func EscapePartitionValue(v string) string {
	if v == "" {
		return HiveNull
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	s := b.String()
	if len(s) > 200 { // keep directory names within filesystem limits
		s = s[:200]
	}
	return s
}

// PartitionDir is the directory of one partition, relative to the root.
func PartitionDir(dataset, country, key, value string) string {
	return dataset + "/country=" + EscapePartitionValue(country) + "/" + key + "=" + EscapePartitionValue(value)
}
