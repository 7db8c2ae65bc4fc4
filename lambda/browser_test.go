package lambda

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/jobmatch/jobmatch/matcher"
	"github.com/jobmatch/jobmatch/matcher/matchertest"
	"github.com/jobmatch/jobmatch/sbert"
)

// Environment of TestBrowser.
const (
	// EnvChromium names the browser to drive; by default the first of
	// chromium, chromium-browser, google-chrome on PATH.
	envChromium = "JOBMATCH_CHROMIUM"
	// EnvScreenshots names the folder that keeps the screenshots; by
	// default a temporary one.
	envScreenshots = "JOBMATCH_SCREENSHOTS"
)

// chromium returns the browser TestBrowser drives, or skips the test when
// there is none, unless CI is set: CI installs one (scripts/ci/browser.sh).
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("the browser test is not short")
	}
	names := []string{"chromium", "chromium-browser", "google-chrome"}
	if p := os.Getenv(envChromium); p != "" {
		names = []string{p}
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("no Chromium (%s) under CI: scripts/ci/browser.sh installs it", strings.Join(names, ", "))
	}
	t.Skipf("no Chromium found (%s); apt-get install chromium, or set %s", strings.Join(names, ", "), envChromium)
	return ""
}

// TestBrowser drives the page in headless Chromium on loopback, as a
// recruiter would: a job typed in, one resume pasted and three loaded from
// files, then the ranking, a resume's highlighted texts, the cut-off, the
// sorting and both exports are checked against what POST /rank answers for
// the same texts. It keeps screenshots (desktop and phone widths).
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	shots := os.Getenv(envScreenshots)
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	var emb matcher.Embedder = matchertest.HashEmbedder{}
	if dir := os.Getenv(EnvModelDir); dir != "" { // the real model when there is one
		m, err := sbert.Load(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		emb = m
	}
	svc := serviceWith(emb, nil)
	srv := httptest.NewServer(svc)
	defer srv.Close()

	job := readFile(t, "../examples/testdata/job.txt")
	pasted := resumeText
	// One resume is a PDF: the page has the server read it (POST /text).
	pdf := readFile(t, "../examples/testdata/resume.pdf")
	pdfText, err := matcher.DocumentText(context.Background(), []byte(pdf), svc.cfg.Documents)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{ // what the page should send for each file
		"anna-data-scientist.pdf": pdfText,
		"bruno-chef.txt":          chefResume,
		"chen-analyst.txt":        "Business analyst: Excel, Tableau dashboards and SQL reporting for marketing; A/B tests with product managers; some Python.",
	}
	dir := t.TempDir()
	var paths []string
	for name, text := range files {
		p := filepath.Join(dir, name)
		if name == "anna-data-scientist.pdf" {
			text = pdf
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths) // the order the page sends them in

	// What the page should show: the route's answer for the same request.
	texts := []RankResume{{Name: "Pasted resume", Text: &pasted}}
	for _, p := range paths {
		text := files[filepath.Base(p)]
		texts = append(texts, RankResume{Name: filepath.Base(p), Text: &text})
	}
	reqBody, _ := json.Marshal(RankRequest{Job: &job, Resumes: texts, Settings: Settings{Threshold: ptr(0.6)}})
	status, _, body := post(t, srv.URL+"/rank", string(reqBody))
	if status != http.StatusOK {
		t.Fatalf("/rank: %d %s", status, body)
	}
	var want RankResponse
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}

	downloads := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ctx, cancel = chromedp.NewExecAllocator(ctx, opts...)
	defer cancel()
	ctx, cancel = chromedp.NewContext(ctx, chromedp.WithLogf(t.Logf))
	defer cancel()
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			if page, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				os.WriteFile(filepath.Join(shots, "failure.png"), page, 0o644)
			}
			t.Fatalf("%s: %v (screenshots in %s)", what, err, shots)
		}
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	input := func(id, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.SetValue(chromedp.ID(id), value),
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := chromedp.Evaluate[any](`document.getElementById('`+id+`').dispatchEvent(new Event('input'))`)(ctx, t)
				return err
			}))
	}

	do("load the page", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("job")),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
			return err
		}))
	if unlabelled := evaluate[[]string](t, ctx, `[...document.querySelectorAll('input, textarea')].filter(e => e.labels.length === 0).map(e => e.id)`); len(unlabelled) > 0 {
		t.Errorf("fields without a label: %q", unlabelled)
	}
	do("fill in the form",
		chromedp.SetValue(chromedp.ID("job"), job),
		chromedp.SetValue(chromedp.ID("resumes"), pasted),
		chromedp.SetUploadFiles(chromedp.ID("resume-files"), paths),
		chromedp.WaitVisible(chromedp.CSS(`#file-list li:nth-child(3)`)),
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("detail")))

	// The ranked table: the route's order, names and scores.
	type row struct{ Rank, Name, Score, Matched string }
	rows := func() []row {
		return evaluate[[]row](t, ctx, `[...document.querySelectorAll('#ranking tbody tr')].map(tr => ({
			Rank: tr.cells[0].textContent, Name: tr.cells[1].textContent, Score: tr.cells[2].textContent, Matched: tr.cells[3].textContent}))`)
	}
	got := rows()
	if len(got) != len(want.Results) {
		t.Fatalf("table has %d rows, want %d: %+v", len(got), len(want.Results), got)
	}
	for i, r := range want.Results {
		w := row{strconv.Itoa(i + 1), r.Name, fmt.Sprintf("%.0f%%", 100*r.Score), fmt.Sprintf("%d/%d", len(r.Matched), len(r.Matched)+len(r.Missing))}
		if got[i] != w {
			t.Errorf("row %d = %+v, want %+v", i, got[i], w)
		}
	}

	// The best resume in detail: its score, and both texts highlighted
	// where the route's spans say.
	best := want.Results[0]
	score := evaluate[string](t, ctx, `document.getElementById('detail-score').textContent`)
	focused := evaluate[string](t, ctx, `document.activeElement.id`)
	if !strings.Contains(score, fmt.Sprintf("Score %.0f%%", 100*best.Score)) || focused != "detail-h" {
		t.Errorf("detail says %q with focus on %q, want score %.0f%% and focus on its heading", score, focused, 100*best.Score)
	}
	// Why the score is what it is, and each matched keyword's points.
	why := evaluate[struct {
		Why    string
		Points []string
	}](t, ctx, `({Why: document.getElementById('detail-why').textContent,
		Points: [...document.querySelectorAll('#matched tbody tr')].map(tr => tr.cells[3].textContent)})`)
	if best.Explanation == "" || why.Why != best.Explanation {
		t.Errorf("detail explains %q, want the route's %q", why.Why, best.Explanation)
	}
	if len(why.Points) != len(best.Matched) {
		t.Fatalf("%d rows of matched keywords, want %d", len(why.Points), len(best.Matched))
	}
	for i, k := range best.Matched {
		// One decimal, rounded by JavaScript (ties may round apart from Go's).
		shown, err := strconv.ParseFloat(strings.TrimPrefix(why.Points[i], "+"), 64)
		if err != nil || !strings.HasPrefix(why.Points[i], "+") || math.Abs(shown-100*k.Contribution) > 0.05+1e-9 {
			t.Errorf("matched keyword %q shows %q points, want +%.1f", k.Keyword, why.Points[i], 100*k.Contribution)
		}
	}
	marks := evaluate[struct{ JobHit, JobMiss, Resume []string }](t, ctx, `({
		JobHit: [...document.querySelectorAll('#job-text mark.hit')].map(m => m.textContent),
		JobMiss: [...document.querySelectorAll('#job-text mark.miss')].map(m => m.textContent),
		Resume: [...document.querySelectorAll('#resume-text mark.hit')].map(m => m.textContent)})`)
	bestText := *texts[best.Index].Text
	var wantResume, wantHit, wantMiss []string
	for _, s := range best.Spans {
		wantResume = append(wantResume, bestText[s.Start:s.End])
	}
	matched := make(map[string]bool)
	for _, k := range best.Matched {
		matched[k.Keyword] = true
	}
	for _, s := range want.Job.Spans {
		if matched[want.Job.Keywords[s.Phrase]] {
			wantHit = append(wantHit, job[s.Start:s.End])
		} else {
			wantMiss = append(wantMiss, job[s.Start:s.End])
		}
	}
	if len(wantResume) == 0 || len(wantHit) == 0 || len(wantMiss) == 0 {
		t.Fatalf("the sample gives nothing to highlight: %d resume, %d matched and %d missing job spans", len(wantResume), len(wantHit), len(wantMiss))
	}
	if !slices.Equal(marks.Resume, wantResume) || !slices.Equal(marks.JobHit, wantHit) || !slices.Equal(marks.JobMiss, wantMiss) {
		t.Errorf("highlights %+v,\nwant resume %q, job matched %q, missing %q", marks, wantResume, wantHit, wantMiss)
	}
	if text := evaluate[string](t, ctx, `document.getElementById('resume-text').textContent`); text != bestText {
		t.Errorf("the highlighted resume reads %q, want the text sent", text)
	}
	shot("page-desktop.png")
	// The ranking, the keywords and the start of both texts in one view.
	do("ranking in view", chromedp.EmulateViewport(1100, 1500), chromedp.ScrollIntoView(chromedp.ID("results")))
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
		t.Fatal(err)
	} else if err := os.WriteFile(filepath.Join(shots, "page-ranking.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	do("back to the window's size", chromedp.ResetViewport())

	// Another resume, chosen from the table with the keyboard.
	other := want.Results[1]
	do("open another resume", chromedp.Focus(chromedp.CSS(`#ranking tbody tr:nth-child(2) button`)), chromedp.KeyEvent("\r"))
	if heading := evaluate[string](t, ctx, `document.getElementById('detail-h').textContent`); heading != other.Name {
		t.Errorf("Enter on row 2 shows %q, want %q", heading, other.Name)
	}

	// The cut-off keeps the resumes at or above it.
	cut := 100*want.Results[1].Score + 0.5
	do("cut-off", input("cutoff", fmt.Sprintf("%.1f", cut)))
	var kept []string
	for _, r := range want.Results {
		if 100*r.Score >= cut {
			kept = append(kept, r.Name)
		}
	}
	if got := rows(); len(got) != len(kept) || len(kept) == len(want.Results) {
		t.Errorf("cut-off %.1f%%: %d rows %+v, want %q", cut, len(got), got, kept)
	}

	// Exports hold what the table shows.
	do("export", chromedp.Click(chromedp.ID("export-csv")), chromedp.Click(chromedp.ID("export-json")))
	csvData := waitFile(t, filepath.Join(downloads, "jobmatch-ranking.csv"))
	recs, err := csv.NewReader(bytes.NewReader(csvData)).ReadAll()
	if err != nil || len(recs) != len(kept)+1 || recs[0][1] != "name" || recs[1][1] != kept[0] {
		t.Errorf("CSV export (%v):\n%s\nwant a header and %q", err, csvData, kept)
	}
	var exported []struct {
		Name  string  `json:"name"`
		Score float64 `json:"score"`
	}
	if err := json.Unmarshal(waitFile(t, filepath.Join(downloads, "jobmatch-ranking.json")), &exported); err != nil || len(exported) != len(kept) ||
		exported[0].Name != kept[0] || exported[0].Score != want.Results[0].Score {
		t.Errorf("JSON export %+v (%v), want %q", exported, err, kept)
	}

	// Sorting by name, with aria-sort saying so.
	do("sort by name", input("cutoff", "0"), chromedp.Click(chromedp.CSS(`#ranking th button[data-key=name]`)))
	var names []string
	for _, r := range rows() {
		names = append(names, r.Name)
	}
	ariaSort := evaluate[string](t, ctx, `document.querySelector('#ranking th button[data-key=name]').parentElement.getAttribute('aria-sort')`)
	if len(names) != len(want.Results) || ariaSort != "ascending" ||
		!slices.IsSortedFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
		t.Errorf("sorted by name: %q, aria-sort %q", names, ariaSort)
	}

	// A phone's width: one column, nothing wider than the screen.
	do("phone", chromedp.EmulateViewport(390, 844), chromedp.Click(chromedp.CSS(`#ranking tbody tr:nth-child(1) button`)))
	if evaluate[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth`) {
		t.Error("the page is wider than a phone's screen")
	}
	shot("page-phone.png")
	t.Logf("screenshots in %s", shots)
}

// evaluate returns the value of a JavaScript expression in the page.
func evaluate[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitFile waits for a download to be complete (Chromium writes it under
// another name first).
func waitFile(t *testing.T, path string) []byte {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil && len(b) > 0 {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("no download %s: %v", path, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
