package config

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// SheetNames is a source's `sheet:` key: one worksheet name or a list of
// them, in the order given.
type SheetNames []string

// UnmarshalYAML accepts a scalar (one name) or a sequence of scalars; empty
// names are an error naming the line.
func (s *SheetNames) UnmarshalYAML(n *yaml.Node) error {
	var names []string
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			*s = nil
			return nil
		}
		names = []string{n.Value}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: sheet: each item must be a sheet name", c.Line)
			}
			names = append(names, c.Value)
		}
	default:
		return fmt.Errorf("line %d: sheet: a sheet name or a list of sheet names", n.Line)
	}
	for _, name := range names {
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("line %d: sheet: empty sheet name", n.Line)
		}
	}
	*s = names
	return nil
}
