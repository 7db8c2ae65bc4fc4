package lambda

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// No container engine runs on the machines this project is built on, so
// the image of lambda/Dockerfile is checked by reading it: these are the
// things a build would get wrong without failing.

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	line int
	cmd  string // upper case: FROM, RUN, COPY, ...
	args string
}

// stage is one FROM and what follows it.
type stage struct {
	from, name string
	raw        string // from as written, before the global ARGs' defaults are put in
	ins        []instruction
}

func parseDockerfile(t *testing.T, src string) []stage {
	t.Helper()
	var stages []stage
	globals := map[string]string{} // global ARGs' defaults
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		text := strings.TrimSpace(lines[i])
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		start := i + 1
		for strings.HasSuffix(text, "\\") && i+1 < len(lines) {
			i++
			text = strings.TrimSuffix(text, "\\") + " " + strings.TrimSpace(lines[i])
		}
		cmd, args, _ := strings.Cut(text, " ")
		in := instruction{start, strings.ToUpper(cmd), strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			f := strings.Fields(in.args)
			f = slices.DeleteFunc(f, func(s string) bool { return strings.HasPrefix(s, "--platform=") })
			st := stage{raw: f[0], from: os.Expand(f[0], func(k string) string { return globals[k] })}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				st.name = f[2]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			if in.cmd != "ARG" {
				t.Fatalf("Dockerfile:%d: %s before the first FROM", in.line, in.cmd)
			}
			k, v, _ := strings.Cut(in.args, "=")
			globals[k] = os.Expand(v, func(k string) string { return globals[k] })
			continue
		}
		stages[len(stages)-1].ins = append(stages[len(stages)-1].ins, in)
	}
	return stages
}

// checkDockerfile reports what would make the image of src wrong.
func checkDockerfile(t *testing.T, src string) []string {
	stages := parseDockerfile(t, src)
	var problems []string
	addf := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	if len(stages) < 2 {
		return []string{"not a multi-stage build"}
	}
	final := stages[len(stages)-1]
	if final.from != "public.ecr.aws/lambda/provided:al2023" {
		addf("final stage from %s, want public.ecr.aws/lambda/provided:al2023", final.from)
	}
	names := map[string]int{}
	for i, st := range stages {
		// No registry is reachable where this project is built and
		// tested: every base must be a build argument, so that local
		// stand-ins can replace it (scripts/ci/image.sh).
		if _, earlier := names[st.raw]; !earlier && !strings.HasPrefix(st.raw, "${") {
			addf("stage %d is FROM %s, which a build argument cannot replace", i, st.raw)
		}
		if st.name != "" {
			names[st.name] = i
		}
	}
	// copied maps a path of the final image to the stage and path it comes from.
	type source struct{ stage, path string }
	copied := map[string]source{}
	env := map[string]string{}
	var entrypoint string
	for i, st := range stages {
		for _, in := range st.ins {
			switch in.cmd {
			case "COPY":
				f := strings.Fields(in.args)
				from := ""
				f = slices.DeleteFunc(f, func(s string) bool {
					if v, ok := strings.CutPrefix(s, "--from="); ok {
						from = v
						return true
					}
					return strings.HasPrefix(s, "--")
				})
				if from != "" {
					if j, ok := names[from]; !ok || j >= i {
						addf("Dockerfile:%d: COPY --from=%s names no earlier stage", in.line, from)
					}
				}
				if i == len(stages)-1 && len(f) == 2 {
					copied[f[1]] = source{from, f[0]}
				}
			case "ENV":
				if i == len(stages)-1 {
					k, v, _ := strings.Cut(in.args, "=")
					env[k] = v
				}
			case "ENTRYPOINT":
				if i == len(stages)-1 {
					entrypoint = in.args
				}
			}
		}
	}
	// runs reports whether stage name has a RUN whose command holds every part.
	runs := func(name string, parts ...string) bool {
		j, ok := names[name]
		if !ok {
			return false
		}
		for _, in := range stages[j].ins {
			if in.cmd == "RUN" && !slices.ContainsFunc(parts, func(p string) bool { return !strings.Contains(in.args, p) }) {
				return true
			}
		}
		return false
	}

	// The function: a static binary of ./lambda/cmd/bootstrap at the path
	// that ENTRYPOINT runs.
	bin, ok := copied["/var/task/bootstrap"]
	switch {
	case !ok || bin.stage == "":
		addf("the final stage does not copy a built /var/task/bootstrap")
	case !runs(bin.stage, "CGO_ENABLED=0", "go build", "-o "+bin.path, "./lambda/cmd/bootstrap", "-tags lambda.norpc", "GOOS=linux"):
		addf("stage %s does not build %s with CGO_ENABLED=0 GOOS=linux -tags lambda.norpc from ./lambda/cmd/bootstrap", bin.stage, bin.path)
	}
	if entrypoint != `["/var/task/bootstrap"]` {
		addf("ENTRYPOINT %s, want [\"/var/task/bootstrap\"]", entrypoint)
	}

	// The model: fetched at build time into the directory the function
	// reads, so that nothing is downloaded when it runs.
	dir := env["JOBMATCH_MODEL_DIR"]
	model, ok := copied[dir]
	switch {
	case dir == "":
		addf("the final stage does not set JOBMATCH_MODEL_DIR")
	case !ok || model.stage == "":
		addf("JOBMATCH_MODEL_DIR=%s, but no stage's model is copied there", dir)
	case !runs(model.stage, "./scripts/fetch-model", strings.TrimSuffix(model.path, "/.")):
		addf("stage %s does not fill %s with ./scripts/fetch-model", model.stage, model.path)
	case !runs(model.stage, "rm -f "+strings.TrimSuffix(model.path, "/.")+"/*.pack"):
		// Pack files written into the model folder for another machine
		// would only make the image larger.
		addf("stage %s does not drop the pack files that the fetched model may hold", model.stage)
	case !runs(model.stage, "go run ./sbert/cmd/pack -model "+strings.TrimSuffix(model.path, "/."), "-goarch", "TARGETARCH"):
		// The pack file lets the function start in milliseconds.
		addf("stage %s does not write the pack file of %s for TARGETARCH with ./sbert/cmd/pack", model.stage, model.path)
	}
	return problems
}

// TestDockerfile checks lambda/Dockerfile: a multi-stage build whose bases
// are build arguments, whose final stage is by default the provided.al2023
// base with the static bootstrap as its
// entrypoint and the model, fetched and packed for the target at build
// time, where JOBMATCH_MODEL_DIR points.
func TestDockerfile(t *testing.T) {
	src, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range checkDockerfile(t, string(src)) {
		t.Error(p)
	}
}

// TestDockerfileCatchesMistakes feeds checkDockerfile altered copies of
// lambda/Dockerfile, each with a mistake it must report.
func TestDockerfileCatchesMistakes(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	for _, tt := range []struct{ name, old, new, want string }{
		{"cgo", "CGO_ENABLED=0 GOOS", "CGO_ENABLED=1 GOOS", "does not build"},
		{"wrong package", "./lambda/cmd/bootstrap", "./examples/server", "does not build"},
		{"base image", "public.ecr.aws/lambda/provided:al2023", "public.ecr.aws/lambda/provided:al2", "final stage from"},
		{"model dir", "ENV JOBMATCH_MODEL_DIR=/opt/model", "ENV JOBMATCH_MODEL_DIR=/opt/models", "no stage's model"},
		{"no model env", "ENV JOBMATCH_MODEL_DIR=/opt/model", "", "does not set JOBMATCH_MODEL_DIR"},
		{"entrypoint", `ENTRYPOINT ["/var/task/bootstrap"]`, `ENTRYPOINT ["/lambda-entrypoint.sh"]`, "ENTRYPOINT"},
		{"stage name", "COPY --from=model", "COPY --from=models", "names no earlier stage"},
		{"model not fetched", "./scripts/fetch-model", "true", "does not fill"},
		{"model not packed", "go run ./sbert/cmd/pack -model /out/model -goarch", "true", "does not write the pack file"},
		{"stray pack files", "rm -f /out/model/*.pack && ", "", "does not drop the pack files"},
		{"fixed base", "FROM ${BASE_IMAGE}", "FROM public.ecr.aws/lambda/provided:al2023", "cannot replace"},
		{"fixed builder", "${BUILDER_IMAGE} AS build", "golang:1.26 AS build", "cannot replace"},
	} {
		if !strings.Contains(src, tt.old) {
			t.Fatalf("%s: Dockerfile has no %q to alter", tt.name, tt.old)
		}
		probs := checkDockerfile(t, strings.Replace(src, tt.old, tt.new, 1))
		if !slices.ContainsFunc(probs, func(p string) bool { return strings.Contains(p, tt.want) }) {
			t.Errorf("%s: problems %q, want one containing %q", tt.name, probs, tt.want)
		}
	}
}
