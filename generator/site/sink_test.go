package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// streamSite is a small site of postmortems, a bundle and a static file.
func streamSite() fstest.MapFS {
	fsys := randomSite(rand.New(rand.NewPCG(7, 8)), 12)
	fsys["postmortem.yaml"] = &fstest.MapFile{Data: []byte("base_url: https://example.com/\npage_size: 4\nledger_page_size: 4\n")}
	return fsys
}

// randomSite is a site of n random postmortems (content/pN.md), a page
// bundle with a diagram and a static file.
func randomSite(r *rand.Rand, n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := range n {
		fsys[fmt.Sprintf("content/p%d.md", i)] = &fstest.MapFile{Data: []byte(randomPostmortem(r, i))}
	}
	fsys["content/2024/bundle/index.md"] = &fstest.MapFile{Data: []byte(randomPostmortem(r, 99) + "\n![d](d.svg)\n")}
	fsys["content/2024/bundle/d.svg"] = &fstest.MapFile{Data: []byte("<svg/>")}
	fsys["static/robots.txt"] = &fstest.MapFile{Data: []byte("User-agent: *\n")}
	return fsys
}

// TestBuildToGivesWhatChanged streams builds to a sink: the first gives
// every file of a full build, sitemap included, once each; a rebuild after
// an edit gives only the files whose bytes changed, which the result
// lists with those removed; the sink then holds a full build's output.
// The same with the bodies held in a scratch file of the first sink, as
// the preview of a large site holds them.
func TestBuildToGivesWhatChanged(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testBuildToGivesWhatChanged(t, false) })
	t.Run("scratch", func(t *testing.T) {
		defer func(n int) { largeSite = n }(largeSite)
		largeSite = 0
		testBuildToGivesWhatChanged(t, true)
	})
}

func testBuildToGivesWhatChanged(t *testing.T, scratch bool) {
	fsys := streamSite()
	want := mustBuild(t, New(fsys, Options{}), nil).Files
	sink := &scratching{memory: memory{files: map[string][]byte{}}, dir: t.TempDir()}
	b := New(fsys, Options{})
	var first Sink = &sink.memory
	if scratch {
		first = sink
	}
	res := b.BuildTo(context.Background(), nil, first)
	if err := res.Diagnostics.Err(); err != nil || res.Site == nil {
		t.Fatalf("BuildTo: %v", err)
	}
	if !maps.EqualFunc(sink.files, want, bytes.Equal) {
		t.Fatalf("the sink has %d files, a full build %d, or they differ", len(sink.files), len(want))
	}
	if _, ok := sink.files["sitemap.xml"]; !ok {
		t.Error("no sitemap given")
	}
	if res.Files != nil {
		t.Error("BuildTo returned the files too")
	}

	// An edit of one body, and a postmortem removed.
	fsys["content/p3.md"].Data = append(slices.Clone(fsys["content/p3.md"].Data), "\nA new sentence.\n"...)
	delete(fsys, "content/p5.md")
	res = rebuildTo(t, b, fsys, sink.files, "content/p3.md", "content/p5.md")
	if !slices.Contains(res.Changed, "incidents/p3.html") || !slices.Contains(res.Changed, "incidents/p5.html") {
		t.Errorf("Changed lacks the edited or the removed page: %v", res.Changed)
	}
	if !scratch {
		return
	}
	// The bodies of the first build, and the edited one after them; the
	// rows of the exports too.
	held := sink.held(t)
	if len(held) < 1_000 || !strings.Contains(held, "A new sentence.") {
		t.Errorf("the scratch file holds %d bytes, not the bodies and the edited one", len(held))
	}
	for _, p := range []string{"index.json", "incidents.csv", "incidents.ndjson"} {
		row := strings.TrimSuffix(strings.Split(string(sink.files[p]), "\n")[1], ",") // index.json's entries end in commas
		if !strings.Contains(held, row) {
			t.Errorf("the scratch file lacks the row %.80q of %s", row, p)
		}
	}
	// A scratch file that can no longer be read nor written: the bodies
	// are made anew and the rows encoded anew, and a rebuild after a title
	// edit, which changes every export, still equals a full build.
	sink.file.Close()
	fsys["content/p2.md"].Data = []byte(strings.Replace(string(fsys["content/p2.md"].Data), "title: ", "title: Renamed ", 1))
	res = rebuildTo(t, b, fsys, sink.files, "content/p2.md")
	for _, p := range []string{"index.json", "incidents.csv", "incidents.ndjson", "incidents/p2.html"} {
		if !slices.Contains(res.Changed, p) {
			t.Errorf("the rebuild after a title edit did not change %s: %v", p, res.Changed)
		}
	}
}

// rebuildTo rebuilds with b after the edit of the paths changed of fsys,
// into a sink of its own, and applies what it gave and removed to files,
// the output of b's builds so far: it wants only files whose bytes
// changed given, the result's Changed to list them and those removed, and
// files to hold a full build's output after.
func rebuildTo(t *testing.T, b *Builder, fsys fstest.MapFS, files map[string][]byte, changed ...string) *Result {
	t.Helper()
	next := &memory{files: map[string][]byte{}}
	res := b.BuildTo(context.Background(), changed, next)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	want := mustBuild(t, New(fsys, Options{}), nil).Files
	var given []string
	for p, data := range next.files {
		if bytes.Equal(files[p], data) {
			t.Errorf("%s was given again with the same bytes", p)
		}
		files[p] = data
		given = append(given, p)
	}
	for _, p := range res.Changed {
		if _, ok := want[p]; !ok {
			delete(files, p)
			given = append(given, p)
		}
	}
	slices.Sort(given)
	if !slices.Equal(given, res.Changed) {
		t.Errorf("given and removed: %v, the result's Changed: %v", given, res.Changed)
	}
	if d := diff(files, want); len(d) > 0 {
		t.Errorf("the output after the rebuild differs from a full build in %v", d)
	}
	return res
}

// TestBuildOnce wants a builder that drops its caches (Options.Once) to
// make the same output, also when it builds again.
func TestBuildOnce(t *testing.T) {
	fsys := streamSite()
	want := mustBuild(t, New(fsys, Options{}), nil).Files
	b := New(fsys, Options{Once: true})
	if got := mustBuild(t, b, nil).Files; !maps.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("the build of a builder that builds once differs: %v", diff(got, want))
	}
	fsys["content/p3.md"].Data = []byte(strings.Replace(string(fsys["content/p3.md"].Data), "Summary of", "Summary, edited, of", 1))
	want = mustBuild(t, New(fsys, Options{}), nil).Files
	res := mustBuild(t, b, []string{"content/p3.md"})
	if d := diff(res.Files, want); len(d) > 0 {
		t.Errorf("its second build differs from a full build in %v", d)
	}
	if !slices.Contains(res.Changed, "incidents/p3.html") {
		t.Errorf("its second build's Changed lacks the edited page: %v", res.Changed)
	}
	// The example site, whose postmortems have action items, overdue too:
	// the exports' tables made once are those made to be kept.
	opts := Options{Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	want = mustBuild(t, New(os.DirFS("../.."), opts), nil).Files
	opts.Once = true
	if got := mustBuild(t, New(os.DirFS("../.."), opts), nil).Files; !maps.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("the example site built once differs: %v", diff(got, want))
	}
	// Its search index made before its pages, as for a large site; its
	// bodies held in memory, then in the scratch file of its sink.
	defer func(n int) { largeSite = n }(largeSite)
	largeSite = 0
	if got := mustBuild(t, New(os.DirFS("../.."), opts), nil).Files; !maps.EqualFunc(got, want, bytes.Equal) {
		t.Errorf("the example site built once as a large site differs: %v", diff(got, want))
	}
	sink := &scratching{memory: memory{files: map[string][]byte{}}, dir: t.TempDir()}
	if res := New(os.DirFS("../.."), opts).BuildTo(context.Background(), nil, sink); res.Site == nil {
		t.Fatalf("the build with a scratch file: %v", res.Diagnostics.Err())
	}
	if !maps.EqualFunc(sink.files, want, bytes.Equal) {
		t.Errorf("the example site built once as a large site, its bodies in a scratch file, differs: %v", diff(sink.files, want))
	}
	if held := sink.held(t); len(held) < 10_000 {
		t.Errorf("the scratch file holds %d bytes, not the bodies", len(held))
	}
	if _, err := sink.file.Stat(); err == nil {
		t.Error("the build left its scratch file open")
	}
}

// scratching is a memory sink that gives a build a scratch file in dir.
type scratching struct {
	memory
	dir  string
	file *os.File
}

func (s *scratching) Scratch() (*os.File, error) {
	f, err := os.CreateTemp(s.dir, "scratch-*")
	s.file = f
	return f, err
}

// held returns what the build wrote to its scratch file, which the test
// wants it to have taken.
func (s *scratching) held(t *testing.T) string {
	t.Helper()
	if s.file == nil {
		t.Fatal("the build took no scratch file")
	}
	data, err := os.ReadFile(s.file.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// failing is a sink that fails on the file at one path.
type failing struct {
	memory
	at string
}

func (f *failing) Put(p string, data []byte) error {
	if p == f.at {
		return errors.New("no space left on device")
	}
	return f.memory.Put(p, data)
}

// TestBuildToSinkFails wants a sink's error to fail the build, named by
// the file it could not write, whether a page or another file, and the
// next build to give the sink everything again.
func TestBuildToSinkFails(t *testing.T) {
	for _, at := range []string{"incidents/p3.html", "index.json", "robots.txt"} {
		fsys := streamSite()
		b := New(fsys, Options{})
		res := b.BuildTo(context.Background(), nil, &failing{memory{files: map[string][]byte{}}, at})
		if err := res.Diagnostics.Err(); res.Site != nil || err == nil || !strings.Contains(err.Error(), at+": cannot be written: no space left on device") {
			t.Errorf("a sink failing on %s: %v", at, err)
		}
		sink := &memory{files: map[string][]byte{}}
		if res := b.BuildTo(context.Background(), nil, sink); res.Site == nil {
			t.Fatalf("the build after: %v", res.Diagnostics.Err())
		}
		if want := mustBuild(t, New(fsys, Options{}), nil).Files; !maps.EqualFunc(sink.files, want, bytes.Equal) {
			t.Errorf("after a failure on %s, the next build gave %d files, want the %d of a full build", at, len(sink.files), len(want))
		}
	}
}

// creating is a sink that takes files as they are written too (a
// Creator), and fails on the writes of the file at fail.
type creating struct {
	memory
	fail    string
	created []string
}

func (c *creating) Create(p string) (io.WriteCloser, error) {
	c.mu.Lock()
	c.created = append(c.created, p)
	c.mu.Unlock()
	return &createdFile{c: c, p: p}, nil
}

type createdFile struct {
	c *creating
	p string
	bytes.Buffer
}

func (f *createdFile) Write(b []byte) (int, error) {
	if f.p == f.c.fail {
		return 0, errors.New("no space left on device")
	}
	return f.Buffer.Write(b)
}

func (f *createdFile) Close() error { return f.c.Put(f.p, f.Bytes()) }

// TestBuildOnceStreams wants a build that runs once to write index.json,
// insights.json and the tables through a sink that takes files as they are written, the
// same bytes as a build that holds them, and an error of such a write to
// fail the build, named by its file.
func TestBuildOnceStreams(t *testing.T) {
	opts := Options{Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	want := mustBuild(t, New(os.DirFS("../.."), opts), nil)
	opts.Once = true
	sink := &creating{memory: memory{files: map[string][]byte{}}}
	res := New(os.DirFS("../.."), opts).BuildTo(context.Background(), nil, sink)
	if err := res.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(sink.created)
	if streamed := []string{"action-items.csv", "incidents.csv", "incidents.ndjson", "index.json", "insights.json"}; !slices.Equal(sink.created, streamed) {
		t.Errorf("streamed %v, want %v", sink.created, streamed)
	}
	if d := diff(sink.files, want.Files); len(d) > 0 {
		t.Errorf("the streamed build differs in %v", d)
	}
	if !slices.Equal(res.Changed, want.Changed) {
		t.Errorf("Changed lists %d files, want the %d of a build that holds them", len(res.Changed), len(want.Changed))
	}
	for _, at := range []string{"index.json", "incidents.ndjson"} {
		res := New(os.DirFS("../.."), opts).BuildTo(context.Background(), nil, &creating{memory: memory{files: map[string][]byte{}}, fail: at})
		if err := res.Diagnostics.Err(); res.Site != nil || err == nil || !strings.Contains(err.Error(), at+": cannot be written: no space left on device") {
			t.Errorf("a sink failing on %s: %v", at, err)
		}
	}
}

// TestBuildOnceShowsOtherBodies wants a build that runs once, which lets
// each body go once its page and its search document read it, to make
// the same output as one that keeps them, for a theme that shows the
// bodies of other incidents: the next one's on each postmortem's page,
// and every one's on the catalog, rendered after the pages of some.
func TestBuildOnceShowsOtherBodies(t *testing.T) {
	fsys := streamSite()
	fsys["layouts/postmortem.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{$.Body}}<aside>{{with .Next}}{{.PM.HTML}}{{end}}</aside>{{end}}`)}
	fsys["layouts/list.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{range .Incidents}}<section>{{.PM.HTML}}</section>{{end}}{{end}}`)}
	want := mustBuild(t, New(fsys, Options{}), nil).Files
	if !strings.Contains(string(want["incidents/p3.html"]), "<aside><") {
		t.Fatalf("the theme shows no other body:\n%s", want["incidents/p3.html"])
	}
	for range 3 { // the pages render in an order of their own each time
		if got := mustBuild(t, New(fsys, Options{Once: true}), nil).Files; !maps.EqualFunc(got, want, bytes.Equal) {
			t.Fatalf("built once, it differs: %v", diff(got, want))
		}
	}
}
