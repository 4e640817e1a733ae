package sinks

import "errors"

// ErrLocked is returned when another process holds the warehouse lock.
var ErrLocked = errors.New("the warehouse is locked by another dtm run")

// ErrCorruptManifest is returned when the manifest cannot be decoded.
var ErrCorruptManifest = errors.New("the warehouse manifest is unreadable")

// ErrNoWarehouse is returned by Exists when a path holds no dtm warehouse.
var ErrNoWarehouse = errors.New("no dtm warehouse")
