package input

// The bounds every reader works within, in one place; docs/security.md
// ("Limits") lists them with the reasons. Each is a bound per file unless
// it says per run.
const (
	// DefaultMaxSize is the largest file a reader accepts unless it asks
	// for another limit. Design-history files are text written by people or
	// tools; anything larger is almost certainly a mistake (a build
	// artefact matched by a glob) and reading it would only exhaust memory.
	DefaultMaxSize = 64 << 20

	// MaxReport is the largest test report read. Big CI runs write 100+
	// MB of JUnit XML; the readers stream it (memory grows with the cases
	// kept, not the file), so the limit only guards against a glob that
	// matched something that is not a report.
	MaxReport = 512 << 20

	// MaxSBOM is the largest SBOM read. Real SBOMs of container images
	// reach tens of megabytes; 256 MiB leaves room for those and still
	// refuses a glob that matched a disk image before it is read.
	MaxSBOM = 256 << 20

	// MaxEvent is the largest webhook or workflow event payload read;
	// GitHub caps webhook payloads at 25 MB.
	MaxEvent = 32 << 20

	// HeadLen is how much of a file Open inspects to tell text from binary,
	// and the head that format detection starts from.
	HeadLen = 8 << 10

	// MaxProlog is how far format detection reads past what says nothing
	// about a file's format — leading comments, a DOCTYPE, processing
	// instructions, tool chatter before a go test -json stream — streaming,
	// without holding it. A file whose prolog is longer is not recognised,
	// which is an error when a policy glob matched it.
	MaxProlog = 4 << 20

	// MaxRun bounds captured output as a reader holds it: a JUnit text
	// node, CDATA section, comment or attribute value (<system-out>, a
	// failure's stack trace) longer than this keeps its first half and,
	// for text, its last half, with a marker between, before it is
	// decoded. A finding shows 4 KiB of a message at most.
	MaxRun = 64 << 10

	// MaxLine bounds a line of a go test -json stream. test2json splits
	// output into events of about 1 KiB; an event line longer than this is
	// refused (the stream is corrupt), a line of raw output is cut.
	MaxLine = 16 << 20
)

// A YAML document (and every format read through yamlsrc) holds at most
// MaxYAMLValues values once its aliases are expanded, and its aliases may
// add at most AliasSlack values to what it writes out, or make it
// AliasRatio times as large, whichever is more: a few hundred bytes then
// cost a few megabytes at most, and shared defaults written once and
// referred to in every entry stay well within.
const (
	MaxYAMLValues = 2_000_000
	AliasSlack    = 10_000
	AliasRatio    = 10
)

// AliasBudget is the number of values a YAML document that writes out
// written nodes may expand to through aliases.
func AliasBudget(written int) int {
	return min(max(written+AliasSlack, written*AliasRatio), MaxYAMLValues)
}

// Reads in flight share one memory budget per process (Reserve): a pull
// request's base, head and evidence are read at the same time, each on
// several goroutines, and the App evaluates several at once. A read
// reserves what it may take before it starts — its file's size times
// TreeFactor for a reader that holds the parsed file (YAML, Markdown, CSV,
// test sources), times StreamFactor for one that streams (JUnit, go test
// -json) — and a file that would take more than the whole budget is
// refused: for YAML, about 10 MiB.
const (
	ReadBudget   = 512 << 20
	TreeFactor   = 48
	StreamFactor = 1
)

// Bounds on the structure of what is read, so that a hostile file cannot
// exhaust the stack or make every item pay for its nesting.
const (
	// MaxYAMLDepth bounds how deep YAML values nest.
	MaxYAMLDepth = 100
	// MaxSuiteDepth bounds how deep JUnit suites nest. Producers nest a
	// few levels (PHPUnit: directory, class, data provider).
	MaxSuiteDepth = 64
	// MaxMessage bounds a test's failure, error or skip message as a
	// finding shows it. Reports carry whole stack traces and test logs; a
	// big CI run has thousands of failing cases.
	MaxMessage = 4 << 10
)
