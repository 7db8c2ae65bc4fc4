package packfile_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/jobmatch/jobmatch/sbert/internal/packfile"
)

// A pack file written and mapped back: the arrays come back in place,
// after the checksum is verified.
func Example() {
	path := filepath.Join(os.TempDir(), "example.pack")
	defer os.Remove(path)
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	h := packfile.Header{GOARCH: "amd64", Layout: []byte(`{}`), Model: []byte(`{}`)}
	if err := packfile.Write(f, h, []packfile.Data{packfile.Float32s("bias", []float32{0.5, -1})}); err != nil {
		panic(err)
	}
	f.Close()

	pf, err := packfile.Open(path, 1<<20)
	if err != nil {
		panic(err)
	}
	if err := pf.Verify(); err != nil {
		panic(err)
	}
	bias, err := pf.Float32s("bias", 2)
	fmt.Println(pf.Header.GOARCH, bias, err)
	// Output: amd64 [0.5 -1] <nil>
}
