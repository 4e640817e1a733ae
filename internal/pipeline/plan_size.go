package pipeline

import "github.com/iom-dtm/dtm/sinks"

// planSizes returns, for each input, its file's size when plan may decide
// from it that the input is read, before hashing it (hash_later.go): a
// regular file within maxBytes whose size no ledger source of its dataset
// and no other input of its dataset in the run has. Bytes of different
// sizes differ, so such an input is neither unchanged nor the same content
// as another source. It is -1 for every other input: an embedded one, a
// file the hash would fail on (plan says why), or one that shares its size.
// A ledger source of unknown size (recorded before the ledger kept sizes)
// may have any: its dataset's inputs are all hashed first, as before.
func planSizes(base *sinks.Manifest, inputs []Input, maxBytes int64) []int64 {
	type kindSize struct {
		kind string
		size int64
	}
	ledger := map[kindSize]bool{}
	unknown := map[string]bool{}
	for _, s := range base.Sources {
		if s.Bytes > 0 {
			ledger[kindSize{s.Dataset, s.Bytes}] = true
		} else {
			unknown[s.Dataset] = true
		}
	}
	sizes := make([]int64, len(inputs))
	inRun := map[kindSize]int{}
	listed := map[string]bool{}
	for i, in := range inputs {
		sizes[i] = -1
		if in.Unavailable != "" || listed[in.Key()] {
			continue // not hashed (plan: failed, or listed twice)
		}
		listed[in.Key()] = true
		if in.Data != nil {
			inRun[kindSize{in.Kind, int64(len(in.Data))}]++
			continue
		}
		size, ok := in.statSize(maxBytes)
		if size >= 0 {
			inRun[kindSize{in.Kind, size}]++
		}
		if ok {
			sizes[i] = size
		}
	}
	for i, in := range inputs {
		if k := (kindSize{in.Kind, sizes[i]}); sizes[i] < 0 || unknown[in.Kind] || ledger[k] || inRun[k] > 1 {
			sizes[i] = -1
		}
	}
	return sizes
}
