package hub_test

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/jobmatch/jobmatch/sbert/hub"
)

// Download all-MiniLM-L6-v2 at its pinned commit into the Hugging Face cache
// and print where its tokenizer vocabulary is. The example is compiled but
// not run by go test, which never touches the network.
func ExampleClient_Download() {
	c := &hub.Client{
		Progress: func(p hub.Progress) {
			if p.Done == p.Total {
				fmt.Println("got", p.File)
			}
		},
	}
	dir, err := c.Download(context.Background(), hub.AllMiniLML6V2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(filepath.Join(dir, "vocab.txt"))
}
