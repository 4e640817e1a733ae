package hostile

import (
	"os"
	"path/filepath"
	"syscall"
)

// genFIFO makes a named pipe with no writer: opening it for reading
// blocks for ever, so a reader that opens it hangs.
func genFIFO(dir string) (string, error) {
	p := filepath.Join(dir, "fifo.csv")
	return p, syscall.Mkfifo(p, 0o644)
}

// genDevZero makes a link to /dev/zero: an endless stream of NUL bytes.
func genDevZero(dir string) (string, error) {
	p := filepath.Join(dir, "zero.csv")
	return p, os.Symlink("/dev/zero", p)
}

// genDir makes a directory named like a CSV file.
func genDir(dir string) (string, error) {
	p := filepath.Join(dir, "directory.csv")
	return p, os.Mkdir(p, 0o755)
}
