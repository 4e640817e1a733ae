package main

import (
	"sync"

	"github.com/iom-dtm/dtm/transform/geo"
)

// countries is the ISO 3166 index that resolves --country values, built on
// first use and read-only afterwards.
var countries = sync.OnceValue(geo.New)
