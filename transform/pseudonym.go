package transform

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Pseudonymizer replaces a source identifier by a keyed HMAC-SHA256
// pseudonym: stable across runs with the same key, not reversible without
// it, and unlinkable across deployments with different keys.
type Pseudonymizer struct{ key []byte }

// NewPseudonymizer returns nil for an empty key (ids are then dropped).
func NewPseudonymizer(key string) *Pseudonymizer {
	if key == "" {
		return nil
	}
	return &Pseudonymizer{key: []byte(key)}
}

// Pseudonym returns the first 16 bytes of HMAC-SHA256(key, id) in hex, or
// "" for an empty id.
func (p *Pseudonymizer) Pseudonym(id string) string {
	id = strings.TrimSpace(id)
	if p == nil || id == "" {
		return ""
	}
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil)[:16])
}
