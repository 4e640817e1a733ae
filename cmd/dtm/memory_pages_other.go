//go:build !linux

package main

// releaseImagePages does nothing outside Linux (see memory_pages_linux.go).
func releaseImagePages() (int64, error) { return 0, nil }
