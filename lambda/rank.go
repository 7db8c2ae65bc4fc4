package lambda

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/jobmatch/jobmatch/matcher"
)

// DefaultMaxResumes is the most resumes one POST /rank takes by default.
const DefaultMaxResumes = 100

// maxNameBytes bounds the name of a resume in POST /rank.
const maxNameBytes = 256

// RankRequest is the body of POST /rank: one job and the resumes to rank
// against it, with the settings of MatchRequest.
type RankRequest struct {
	Job     *string      `json:"job"`
	Resumes []RankResume `json:"resumes"`
	Settings
}

// RankResume is a resume of a RankRequest. Name is what the caller calls it
// (a file name), at most 256 bytes; it is only given back.
type RankResume struct {
	Name string  `json:"name"`
	Text *string `json:"text"`
	err  error   // an uploaded document that could not be read
}

// RankResponse is the answer to POST /rank.
type RankResponse struct {
	Job RankJob `json:"job"`
	// Results holds one entry per resume, best score first (of equal
	// scores, the earlier resume first; resumes with an error last).
	Results  []RankResult   `json:"results"`
	Settings matcher.Config `json:"settings"`
}

// RankJob is the job of a RankResponse: its keywords, most important first,
// and where they occur in the job text (Span.Phrase indexes Keywords).
type RankJob struct {
	Keywords []string             `json:"keywords"`
	Spans    []matcher.PhraseSpan `json:"spans"`
}

// RankResult is one resume of a RankResponse: its place in the request,
// its name, its matcher.Result and where its matched counterparts occur in
// its text (Span.Phrase indexes Matched; the span is of Matched[i]'s
// resume_keyword). A resume that could not be matched (too large, or an upload that is no
// readable document) has
// Error set, score 0 and no keywords.
type RankResult struct {
	Index    int               `json:"index"`
	Name     string            `json:"name"`
	Score    float64           `json:"score"`
	Matched  []matcher.Keyword `json:"matched"`
	Missing  []matcher.Keyword `json:"missing"`
	Warnings []string          `json:"warnings"`
	// Explanation says why the score is what it is (matcher.Result's).
	Explanation string               `json:"explanation,omitempty"`
	Spans       []matcher.PhraseSpan `json:"spans"`
	Error       string               `json:"error,omitempty"`
}

// rank answers POST /rank with a JSON body. Other forms of the same request
// (documents uploaded as multipart) make a RankRequest and call rankRequest.
func (s *Service) rank(ctx context.Context, body []byte) response {
	var req RankRequest
	if err := decode(body, &req); err != nil {
		return fail(http.StatusBadRequest, "%v", err)
	}
	return s.rankRequest(ctx, req)
}

// rankRequest checks a ranking's limits and computes it.
func (s *Service) rankRequest(ctx context.Context, req RankRequest) response {
	switch {
	case req.Job == nil || len(req.Resumes) == 0:
		return fail(http.StatusBadRequest, `"job" and "resumes" (at least one) are required`)
	case len(req.Resumes) > s.opts.MaxResumes:
		return fail(http.StatusRequestEntityTooLarge, "%d resumes, the limit is %d", len(req.Resumes), s.opts.MaxResumes)
	}
	for i, r := range req.Resumes {
		switch {
		case r.Text == nil:
			return fail(http.StatusBadRequest, `resume %d has no "text"`, i)
		case len(r.Name) > maxNameBytes:
			return fail(http.StatusBadRequest, "resume %d: name over %d bytes", i, maxNameBytes)
		}
	}
	m, resp := s.matcherFor(ctx, req.Settings)
	if m == nil {
		return resp
	}
	job, err := m.PrepareJob(ctx, *req.Job)
	if err != nil {
		return s.failure(ctx, err)
	}
	out := RankResponse{
		Job:      RankJob{Keywords: job.Keywords(), Spans: nonNil(matcher.FindSpans(*req.Job, job.Keywords()))},
		Results:  make([]RankResult, len(req.Resumes)),
		Settings: m.Config(),
	}
	err = m.MatchEach(ctx, job, len(req.Resumes), func(ctx context.Context, i int) (*matcher.Resume, error) {
		if err := req.Resumes[i].err; err != nil {
			return nil, err
		}
		return m.PrepareResume(ctx, *req.Resumes[i].Text)
	}, func(i int, res *matcher.Result, err error) error {
		r := RankResult{Index: i, Name: req.Resumes[i].Name, Matched: []matcher.Keyword{}, Missing: []matcher.Keyword{},
			Warnings: []string{}, Spans: []matcher.PhraseSpan{}}
		var ue *uploadError
		switch {
		case errors.Is(err, matcher.ErrTooLarge), errors.As(err, &ue):
			r.Error = err.Error()
		case err != nil:
			return err
		default:
			r.Score, r.Matched, r.Missing, r.Warnings, r.Explanation = res.Score, res.Matched, res.Missing, res.Warnings, res.Explanation
			counterparts := make([]string, len(res.Matched))
			for k, kw := range res.Matched {
				counterparts[k] = kw.Resume
			}
			r.Spans = nonNil(matcher.FindSpans(*req.Resumes[i].Text, counterparts))
		}
		out.Results[i] = r
		return nil
	})
	if err != nil {
		return s.failure(ctx, err)
	}
	slices.SortStableFunc(out.Results, func(a, b RankResult) int {
		if (a.Error == "") != (b.Error == "") {
			return cmp.Compare(a.Error, b.Error) // "" first
		}
		return cmp.Compare(b.Score, a.Score)
	})
	return response{status: http.StatusOK, body: out}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
