package search

import (
	"bufio"
	"bytes"
	"encoding/json"
	"github.com/postmortem/postmortem/generator/browser"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// porter2Cases are stems as the Porter2 description gives them: what the
// index and the page must both make of these words.
var porter2Cases = map[string]string{
	// Forms of one word meet.
	"consign": "consign", "consigned": "consign", "consigning": "consign", "consignment": "consign",
	"failures": "failur", "failure": "failur", "failed": "fail", "failing": "fail", "fails": "fail",
	"rotated": "rotat", "rotating": "rotat", "rotates": "rotat", "rotation": "rotat", "rotations": "rotat",
	"exhausted": "exhaust", "exhaustion": "exhaust", "exhausting": "exhaust",
	"toggle": "toggl", "toggled": "toggl", "toggles": "toggl", "toggling": "toggl",
	"certificate": "certif", "certificates": "certif", "expired": "expir", "expiry": "expiri",
	"generously": "generous", "generous": "generous", "generate": "generat", "general": "general",
	"communication": "communic", "arsenal": "arsenal",
	// Step 1a: plurals.
	"caresses": "caress", "ties": "tie", "cries": "cri", "gas": "gas", "gaps": "gap", "kiwis": "kiwi",
	"this": "this", "status": "status", "classes": "class", "queries": "queri", "replicas": "replica", "dns": "dns",
	// Step 1b: -eed, -ed, -ing.
	"agreed": "agre", "feed": "feed", "hoped": "hope", "hopping": "hop", "running": "run", "stopped": "stop",
	"filling": "fill", "luxuriating": "luxuri", "red": "red", "sing": "sing",
	// Step 1c and the ys that are consonants.
	"cry": "cri", "by": "by", "say": "say", "saying": "say", "yield": "yield", "enjoying": "enjoy",
	// Steps 2 to 5.
	"relational": "relat", "conditional": "condit", "hopefulness": "hope", "sensitivity": "sensit",
	"electrical": "electr", "adjustment": "adjust", "adoption": "adopt", "controlling": "control",
	"controller": "control", "analysis": "analysi", "dependency": "depend", "degradation": "degrad",
	// Special words and the exceptions after step 1a.
	"skis": "ski", "skies": "sky", "sky": "sky", "dying": "die", "lying": "lie", "tying": "tie",
	"idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli", "singly": "singl",
	"news": "news", "howe": "howe", "atlas": "atlas", "cosmos": "cosmos", "bias": "bias", "andes": "andes",
	"innings": "inning", "outing": "outing", "outings": "outing", "canning": "canning", "herrings": "herring",
	"earring": "earring", "proceed": "proceed", "proceeds": "proceed", "exceeded": "exceed", "succeeding": "succeed",
	// Left alone: two letters, letters outside ASCII.
	"at": "at", "ox": "ox", "straße": "straße", "naïvely": "naïvely",
}

func TestStem(t *testing.T) {
	for in, want := range porter2Cases {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

// demanded tells whether the tests that need tools beyond Go must run, as
// .ci/run demands with POSTMORTEM_BROWSER_TESTS: then they fail, not skip,
// without them.
func demanded() bool {
	return os.Getenv("POSTMORTEM_BROWSER_TESTS") != "" || os.Getenv("POSTMORTEM_NODE_TESTS") != ""
}

// TestStemParity wants stem.js to stem every token as Stem does: those of
// the table above, of every file of the example site and of the system's
// English word list.
func TestStemParity(t *testing.T) {
	node := browser.Node(t)
	t.Run("table", func(t *testing.T) {
		words := slices.Sorted(func(yield func(string) bool) {
			for w := range porter2Cases {
				if !yield(w) {
					return
				}
			}
		})
		// Names of Object.prototype, which a plain object would hold.
		words = append(words, "constructor", "hasownproperty", "tostring", "valueof", "proto")
		compareStems(t, node, words)
	})
	t.Run("example site", func(t *testing.T) {
		var words []string
		err := filepath.WalkDir("../../content", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			words = append(words, Tokens(string(data))...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(words) < 1000 {
			t.Fatalf("the example site has %d words: not where the test looks", len(words))
		}
		compareStems(t, node, words)
	})
	t.Run("word list", func(t *testing.T) {
		const list = "/usr/share/dict/words"
		data, err := os.ReadFile(list)
		if err != nil {
			if demanded() {
				t.Fatalf("POSTMORTEM_BROWSER_TESTS is set but %v (apt-get install wamerican)", err)
			}
			t.Skipf("no word list: %v (apt-get install wamerican)", err)
		}
		var words []string
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			words = append(words, Tokens(sc.Text())...)
		}
		compareStems(t, node, words)
	})
}

// compareStems stems the distinct words with stem.js in Node and with Stem,
// and reports those they stem differently.
func compareStems(t *testing.T, node string, words []string) {
	t.Helper()
	words = slices.Compact(slices.Sorted(slices.Values(words)))
	input, err := json.Marshal(words)
	if err != nil {
		t.Fatal(err)
	}
	script := `
global.window = {};
require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => { input += d; });
process.stdin.on("end", () => {
  console.log(JSON.stringify(JSON.parse(input).map(window.PostmortemSearch.stemEnglish)));
});`
	cmd := exec.Command(node, "-e", script, mustAbs(t, "../../themes/default/assets/stem.js"))
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.Bytes())
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(words) {
		t.Fatalf("node wrote %d stems for %d words (%v): %.200s", len(got), len(words), err, out)
	}
	var diffs []string
	for i, w := range words {
		if want := Stem(w); got[i] != want {
			diffs = append(diffs, w+": stem.js "+got[i]+", Stem "+want)
		}
	}
	if len(diffs) > 0 {
		t.Errorf("%d of %d words stemmed differently, first:\n%s", len(diffs), len(words), strings.Join(diffs[:min(len(diffs), 40)], "\n"))
	}
	t.Logf("%d words compared", len(words))
}
