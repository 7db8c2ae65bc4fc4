module github.com/jobmatch/jobmatch/sbert/internal/kernels/compare

go 1.26.0

require (
	github.com/jobmatch/jobmatch v0.0.0
	github.com/nlpodyssey/spago v1.1.0
	gonum.org/v1/gonum v0.17.0
)

require (
	github.com/google/flatbuffers v23.5.26+incompatible // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/jobmatch/jobmatch => ../../../..
