package modelfile

// Span is a part of a file to prefetch: Len bytes from Off, or from the
// end when Off is negative (-Len for the last Len bytes); Len 0 means the
// whole file.
type Span struct {
	Path     string
	Off, Len int64
}

// Prefetch asks the system to start reading the spans into the page cache
// in the background and returns at once. A loader that then reads small
// files one after the other finds them read: from a cold page cache each
// read would otherwise wait for the disk in turn. Missing and special
// files are skipped; the reads that follow check everything as before.
func Prefetch(spans ...Span) { go prefetch(spans) }

// prefetch asks for the spans and returns the number it asked for.
func prefetch(spans []Span) int {
	n := 0
	for _, s := range spans {
		f, size, err := Open(s.Path)
		if err != nil {
			continue
		}
		off := s.Off
		if off < 0 {
			off = max(size+off, 0)
		}
		adviseWillNeed(f, off, s.Len)
		f.Close()
		n++
	}
	return n
}
