// Package config reads dtm job files: YAML, decoded strictly (an unknown
// key is an error naming its line), with environment variables overriding
// deployment settings only (warehouse path, keys, threads).
package config
