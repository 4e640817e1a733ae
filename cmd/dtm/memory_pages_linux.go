package main

import (
	"debug/elf"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// releaseImagePages drops from the process's resident memory the pages of
// the executable's read-only segments (text, read-only data) that were
// touched so far, and returns how many bytes of address space it advised.
//
// Why: dtm's binary is ~180 MB (DuckDB is linked in statically) and the
// static initialisers of its C++ libraries touch ~90 MB of its code and
// read-only data before main runs; those pages stay resident (they count
// in the peak RSS, RssFile in /proc/self/status) though most are never
// used again. They are clean, private file pages: MADV_DONTNEED drops
// them, and a page used later is read back from the page cache on its
// first access (a minor fault), with the same bytes. Measured: `dtm
// --help` 110 MB -> 47 MB RSS.
//
// Only the PT_LOAD segments without write permission of a non-PIE
// executable (ET_EXEC, whose segments are at their link addresses) without
// text relocations are advised, page-aligned inwards: RELRO (relocated,
// then made read-only) lies in the writable segment and is left alone. Any
// other case returns 0 and changes nothing.
func releaseImagePages() (int64, error) {
	f, err := elf.Open("/proc/self/exe")
	if err != nil {
		return 0, fmt.Errorf("release image pages: %w", err)
	}
	defer f.Close()
	if f.Type != elf.ET_EXEC || hasTextRel(f) {
		return 0, nil
	}
	pg := uint64(os.Getpagesize())
	var n int64
	for _, p := range f.Progs {
		if p.Type != elf.PT_LOAD || p.Flags&elf.PF_W != 0 {
			continue
		}
		lo := (p.Vaddr + pg - 1) &^ (pg - 1)
		hi := (p.Vaddr + p.Memsz) &^ (pg - 1)
		if hi <= lo {
			continue
		}
		// madvise(2) on an address range: no Go memory is involved, so the
		// raw system call (unix.Madvise wants a []byte of the range).
		if _, _, errno := unix.Syscall(unix.SYS_MADVISE, uintptr(lo), uintptr(hi-lo), unix.MADV_DONTNEED); errno != 0 {
			return n, fmt.Errorf("release image pages: madvise %#x-%#x: %w", lo, hi, errno)
		}
		n += int64(hi - lo)
	}
	dropImageCache()
	return n, nil
}

// dropImageCache asks the kernel to drop the executable's pages from the
// page cache that no process maps (POSIX_FADV_DONTNEED; a failure changes
// nothing). Why: a file written by the Go linker (through mmap) sits in the
// page cache in large folios, and a fault on a page of a large folio maps
// the whole folio: the code an ingest runs then held ~61 MB of RssFile
// instead of ~27 MB for the same bytes written with write(2) (1 M-row
// ingest, same binary linked vs copied with cat: peak RSS 240 vs 204 MB,
// RssAnon 177 vs 173 MB). Dropped, the pages are read back on first use
// in ordinary small folios.
func dropImageCache() {
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		return
	}
	defer f.Close()
	_ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}

// hasTextRel reports whether the executable has text relocations (its
// read-only segments would then hold relocated bytes that a re-read from
// the file would lose).
func hasTextRel(f *elf.File) bool {
	if v, err := f.DynValue(elf.DT_TEXTREL); err == nil && len(v) > 0 {
		return true
	}
	if v, err := f.DynValue(elf.DT_FLAGS); err == nil {
		for _, x := range v {
			if elf.DynFlag(x)&elf.DF_TEXTREL != 0 {
				return true
			}
		}
	}
	return false
}
