//go:build !linux

package packfile

// adviseWillNeed does nothing here: pages are read as they are used (or
// the file was read into memory).
func adviseWillNeed([]byte) {}
