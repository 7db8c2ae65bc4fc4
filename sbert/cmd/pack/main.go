// Command pack writes the pack file of a sentence-transformers model: its
// weights already in the layout of the kernels, which sbert.Load maps in a
// few milliseconds instead of reading and preparing the weights file (see
// sbert.WritePacked). It writes DIR/jobmatch-<goarch>-<kernel>[-int8].pack,
// the name Load looks for, and prints its path.
//
//	go run ./sbert/cmd/pack -model DIR [-int8] [-goarch arm64 -kernel neon] [-o FILE]
//	go run ./sbert/cmd/pack -which      (prints this machine's file name, writes nothing)
//	go run ./sbert/cmd/pack -model DIR [-int8] -verify   (checks this machine's pack file, writes nothing)
//
// Without -goarch and -kernel it packs for this machine. Float32 weights
// can be packed for another (amd64: avx512, avx2 or go; arm64: neon or go);
// int8 weights only for this one, since their calibration runs here.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jobmatch/jobmatch/sbert"
)

func main() {
	dir := flag.String("model", os.Getenv("JOBMATCH_MODEL_DIR"), "model directory (default $JOBMATCH_MODEL_DIR)")
	int8 := flag.Bool("int8", false, "pack the int8 weights of sbert.WithInt8")
	goarch := flag.String("goarch", "", "GOARCH of the target (default this program's)")
	kernel := flag.String("kernel", "", "float32 kernel of the target (default this CPU's)")
	out := flag.String("o", "", "output file (default DIR/"+sbert.PackFileName(sbert.PackTarget{}, false)+" or the name for the target)")
	which := flag.Bool("which", false, "print the name of the pack file for the target (this machine by default) and exit")
	verify := flag.Bool("verify", false, "load the model from this machine's pack file (or -o), check all of the file, and exit")
	flag.Parse()
	target := sbert.PackTarget{GOARCH: *goarch, Kernel: *kernel}
	if *which {
		fmt.Println(sbert.PackFileName(target, *int8))
		return
	}
	if *dir == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	path := *out
	if path == "" {
		path = filepath.Join(*dir, sbert.PackFileName(target, *int8))
	}
	if *verify {
		if err := check(path, *dir, *int8); err != nil {
			fmt.Fprintln(os.Stderr, "pack:", err)
			os.Exit(1)
		}
		fmt.Println(path, "verified")
		return
	}
	if err := write(path, *dir, target, *int8); err != nil {
		fmt.Fprintln(os.Stderr, "pack:", err)
		os.Exit(1)
	}
	fmt.Println(path)
}

// write writes the pack file to a temporary file beside path, then renames
// it, so that a load never sees half a file.
func write(path, dir string, target sbert.PackTarget, int8 bool) error {
	var opts []sbert.Option
	if int8 {
		opts = append(opts, sbert.WithInt8())
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".pack-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	err = sbert.WritePacked(context.Background(), dir, f, target, opts...)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	return err
}

// check loads the model in dir from the pack file at path and verifies
// all of the file, which Load alone does not read.
func check(path, dir string, int8 bool) error {
	opts := []sbert.Option{sbert.WithPacked(path)}
	if int8 {
		opts = append(opts, sbert.WithInt8())
	}
	m, err := sbert.Load(context.Background(), dir, opts...)
	if err != nil {
		return err
	}
	return m.VerifyPacked()
}
