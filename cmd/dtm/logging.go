package main

import (
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"golang.org/x/term"
)

// newLogger builds the process logger: console encoding on a terminal,
// JSON otherwise (cron, orchestrators), to stderr.
func newLogger(level, format string, quiet bool, w io.Writer) (*zap.Logger, error) {
	var lvl zapcore.Level
	if err := lvl.Set(level); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	if quiet && lvl < zapcore.WarnLevel {
		lvl = zapcore.WarnLevel
	}
	enc := zap.NewProductionEncoderConfig()
	enc.TimeKey = "ts"
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	var encoder zapcore.Encoder
	switch format {
	case "json":
		encoder = zapcore.NewJSONEncoder(enc)
	case "console":
		encoder = zapcore.NewConsoleEncoder(enc)
	case "auto", "":
		if isTerminal(w) {
			encoder = zapcore.NewConsoleEncoder(enc)
		} else {
			encoder = zapcore.NewJSONEncoder(enc)
		}
	default:
		return nil, fmt.Errorf("--log-format must be auto, console or json, not %q", format)
	}
	core := zapcore.NewCore(encoder, zapcore.AddSync(w), lvl)
	return zap.New(core), nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalWidth is the width in columns of the terminal w is, 0 when w is
// not a terminal (or its size is unknown).
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}
