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

	// HeadLen is how much of a file Open inspects to tell text from binary,
	// and the head that format detection starts from.
	HeadLen = 8 << 10

	// MaxProlog is how far format detection reads past what says nothing
	// about a file's format — leading comments, a DOCTYPE, processing
	// instructions, tool chatter before a go test -json stream — streaming,
	// without holding it. A file whose prolog is longer is not recognised,
	// which is an error when a policy glob matched it.
	MaxProlog = 4 << 20
)
