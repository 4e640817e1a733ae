package query

import "fmt"

// suppress applies small-cell suppression to a result as the figure's
// `-- suppress:` header declares. (Implemented with the flow monitoring
// figures; until then any figure that declares it fails closed.)
func suppress(res *Result, spec string, minCell int) error {
	return fmt.Errorf("small-cell suppression %q is not available: refusing to publish unprotected cells", spec)
}
