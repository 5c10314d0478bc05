package output

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// The test binary, run with these set, is the helper of TestKill: it
// writes generation GEN of a site into OUT, and says when it starts.
const (
	helperOut = "POSTMORTEM_OUTPUT_TEST_OUT"
	helperGen = "POSTMORTEM_OUTPUT_TEST_GEN"
)

func TestMain(m *testing.M) {
	if out := os.Getenv(helperOut); out != "" {
		gen, _ := strconv.Atoi(os.Getenv(helperGen))
		fmt.Println("writing")
		if err := Write(context.Background(), out, generation(gen)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// generation is a site of a few hundred files, where half the files and
// the number of files tell gen from the generations before and after it.
func generation(gen int) map[string][]byte {
	files := map[string][]byte{}
	for i := range 300 + gen%2 {
		p := fmt.Sprintf("d%d/p%03d.html", i%10, i)
		data := p
		if i%2 == 0 {
			data += " of generation " + strconv.Itoa(gen)
		}
		files[p] = []byte(data)
	}
	files["index.html"] = []byte(strconv.Itoa(gen))
	return files
}

// generationOf returns the generation that the folder out holds whole,
// with the files kept for the host and someone's notes, or an error.
func generationOf(t *testing.T, out string) (int, error) {
	got := tree(t, out)
	gen, err := strconv.Atoi(got["index.html"])
	if err != nil {
		return 0, fmt.Errorf("index.html: %v", err)
	}
	want := generation(gen)
	want[".git/HEAD"], want["CNAME"] = []byte("ref: refs/heads/gh-pages\n"), []byte("example.com\n")
	want["notes/mine.txt"] = []byte("not the build's\n")
	for p, data := range want {
		if got[p] != string(data) {
			return gen, fmt.Errorf("generation %d: %s is %q, want %q", gen, p, got[p], data)
		}
	}
	if len(got) != len(want) {
		return gen, fmt.Errorf("generation %d: %d files, want %d", gen, len(got), len(want))
	}
	if _, err := os.Stat(filepath.Join(out, Marker)); err != nil {
		return gen, err
	}
	return gen, nil
}

// TestKill kills a process writing an output, at random points of the
// write and of the swap, many times: after each kill the output is the
// previous one or the new one, whole, and the next write removes what the
// killed ones left.
func TestKill(t *testing.T) {
	// A few hundred kills, fewer on a machine so busy that they would
	// take more than a few seconds; at least a few dozen.
	runs, budget := 300, 12*time.Second
	if testing.Short() {
		runs, budget = 30, 2*time.Second
	}
	const least = 20
	out := filepath.Join(t.TempDir(), "public")
	if err := Write(context.Background(), out, generation(0)); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(out, ".git/HEAD"), "ref: refs/heads/gh-pages\n")
	write(t, filepath.Join(out, "CNAME"), "example.com\n")
	write(t, filepath.Join(out, "notes/mine.txt"), "not the build's\n")
	// How long a write takes here: the kills fall within it, or just
	// after; span follows the writes that end before their kill.
	start := time.Now()
	if err := Write(context.Background(), out, generation(1)); err != nil {
		t.Fatal(err)
	}
	span := time.Since(start) * 3 / 2
	last := 1
	killed, ran := 0, 0
	for end := time.Now().Add(budget); ran < runs && (ran < least || time.Now().Before(end)); ran++ {
		gen := ran + 2
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), helperOut+"="+out, helperGen+"="+strconv.Itoa(gen))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if _, err := bufio.NewReader(stdout).ReadString('\n'); err != nil {
			t.Fatalf("the helper did not start: %v", err)
		}
		started := time.Now()
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("the helper failed: %v", err)
			}
			span = (3*span + time.Since(started)*6/5) / 4
		case <-time.After(rand.N(span)):
			_ = cmd.Process.Kill()
			<-exited
			killed++
			span += span / 50
		}
		got, err := generationOf(t, out)
		if err != nil {
			t.Fatalf("after a kill while writing generation %d over %d: %v", gen, last, err)
		}
		if got != last && got != gen {
			t.Fatalf("after a kill while writing generation %d over %d: the output is generation %d", gen, last, got)
		}
		last = got
		if cmd.ProcessState.Success() {
			if l := leftovers(t, out); len(l) > 0 {
				t.Fatalf("a write after kills left %v beside the output", l)
			}
		}
	}
	t.Logf("%d of %d writes killed, within %v", killed, ran, span)
	if killed < ran/4 {
		t.Errorf("only %d of %d writes were killed before they ended", killed, ran)
	}
	if err := Write(context.Background(), out, generation(0)); err != nil {
		t.Fatal(err)
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("a write after kills left %v beside the output", l)
	}
	if _, err := generationOf(t, out); err != nil {
		t.Error(err)
	}
}
