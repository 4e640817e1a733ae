package sinks

import (
	"crypto/sha256"
	"encoding/hex"
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
	if len(s) > maxEscaped {
		// Keep directory names within filesystem limits (255 bytes) and
		// distinct: cut outside an escape and add a hash of the whole value
		// after a '~', a byte no escaped value contains.
		cut := maxEscaped - 17
		if i := strings.LastIndexByte(s[:cut], '%'); i >= cut-2 {
			cut = i
		}
		sum := sha256.Sum256([]byte(v))
		s = s[:cut] + "~" + hex.EncodeToString(sum[:8])
	}
	return s
}

// maxEscaped is the longest escaped partition value kept whole.
const maxEscaped = 200

// PartitionDir is the directory of one partition, relative to the root.
func PartitionDir(dataset, country, key, value string) string {
	return dataset + "/country=" + EscapePartitionValue(country) + "/" + key + "=" + EscapePartitionValue(value)
}
