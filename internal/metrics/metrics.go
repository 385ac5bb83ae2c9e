// Package metrics is what the App's /metrics serves: counters, gauges and
// histograms with labels, written in the Prometheus text exposition format
// (version 0.0.4) as client_golang writes it — families sorted by name,
// series by their label values, labels by name.
//
// Why not client_golang: linking it runs its package initialisation in
// every command the binary has, the CLI's included — its default registry
// with the Go and process collectors, procfs and protobuf: about 0.9 ms and
// 1,600 allocations at every start, for metrics only `tracegate serve`
// serves. TestSameTextAsClientGolang holds this package's output to
// client_golang's for the same observations (client_golang is a test
// dependency only).
package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Registry holds metric families and writes them.
type Registry struct {
	mu       sync.Mutex
	families map[string]family
}

// family writes one metric family's samples; it reports the error that
// spoils the scrape.
type family interface {
	write(w *bufio.Writer) error
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{families: map[string]family{}} }

func (r *Registry) add(name string, f family) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.families[name]; dup {
		panic("metrics: " + name + " registered twice")
	}
	r.families[name] = f
}

// WriteText writes every family in the text format.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	names := make([]string, 0, len(r.families))
	for n := range r.families {
		names = append(names, n)
	}
	fams := make([]family, 0, len(names))
	slices.Sort(names)
	for _, n := range names {
		fams = append(fams, r.families[n])
	}
	r.mu.Unlock()
	bw := bufio.NewWriter(w)
	for _, f := range fams {
		if err := f.write(bw); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ContentType is the text format's media type.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Handler serves the registry. A family that cannot be read (the queue's
// database not answering) fails the scrape with 500, as client_golang's
// handler does, rather than serving a partial page.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		var b strings.Builder
		if err := r.WriteText(&b); err != nil {
			http.Error(w, "An error has occurred while serving metrics:\n\n"+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", ContentType)
		_, _ = io.WriteString(w, b.String())
	})
}

// header writes a family's HELP and TYPE lines.
func header(w *bufio.Writer, name, help, typ string) {
	w.WriteString("# HELP " + name + " " + escapeHelp(help) + "\n# TYPE " + name + " " + typ + "\n")
}

// sample writes one sample line: name{labels} value.
func sample(w *bufio.Writer, name string, names, values []string, extra string, v float64) {
	w.WriteString(name)
	if len(names) > 0 || extra != "" {
		w.WriteByte('{')
		for i, n := range names {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(n + `="` + escapeLabel(values[i]) + `"`)
		}
		if extra != "" {
			if len(names) > 0 {
				w.WriteByte(',')
			}
			w.WriteString(extra)
		}
		w.WriteByte('}')
	}
	w.WriteByte(' ')
	w.WriteString(formatFloat(v))
	w.WriteByte('\n')
}

// formatFloat writes a value as the text format has it.
func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func escapeHelp(s string) string  { return helpEscaper.Replace(s) }
func escapeLabel(s string) string { return labelEscaper.Replace(s) }

// labelOrder sorts label names, as the text format writes them, and
// returns the order to take a series' values in.
func labelOrder(labels []string) (sorted []string, perm []int) {
	perm = make([]int, len(labels))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, func(a, b int) int { return strings.Compare(labels[a], labels[b]) })
	for _, i := range perm {
		sorted = append(sorted, labels[i])
	}
	return sorted, perm
}

// vec is a family's series by label values.
type vec[T any] struct {
	mu     sync.Mutex
	name   string
	help   string
	labels []string // sorted
	perm   []int
	series map[string]*entry[T]
	make   func() *T
}

type entry[T any] struct {
	values []string // in the sorted labels' order
	v      *T
}

func newVec[T any](name, help string, labels []string, mk func() *T) *vec[T] {
	sorted, perm := labelOrder(labels)
	return &vec[T]{name: name, help: help, labels: sorted, perm: perm, series: map[string]*entry[T]{}, make: mk}
}

// with returns the series of label values given in the registration's
// order, made on first use.
func (v *vec[T]) with(values []string) *T {
	if len(values) != len(v.perm) {
		panic(fmt.Sprintf("metrics: %s takes %d label values, got %d", v.name, len(v.perm), len(values)))
	}
	ordered := make([]string, len(values))
	for i, p := range v.perm {
		ordered[i] = values[p]
	}
	key := strings.Join(ordered, "\xff")
	v.mu.Lock()
	defer v.mu.Unlock()
	e, ok := v.series[key]
	if !ok {
		e = &entry[T]{values: ordered, v: v.make()}
		v.series[key] = e
	}
	return e.v
}

// each calls f with the series sorted by their label values; nothing when
// there is none (a family without series is not written, as client_golang
// leaves it out).
func (v *vec[T]) each(f func(values []string, t *T)) {
	v.mu.Lock()
	es := make([]*entry[T], 0, len(v.series))
	for _, e := range v.series {
		es = append(es, e)
	}
	v.mu.Unlock()
	slices.SortFunc(es, func(a, b *entry[T]) int { return slices.Compare(a.values, b.values) })
	for _, e := range es {
		f(e.values, e.v)
	}
}
