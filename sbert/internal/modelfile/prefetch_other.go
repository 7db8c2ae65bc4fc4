//go:build !linux

package modelfile

import "os"

// adviseWillNeed does nothing where there is no posix_fadvise in
// golang.org/x/sys.
func adviseWillNeed(*os.File, int64, int64) {}
