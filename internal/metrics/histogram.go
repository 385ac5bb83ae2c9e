package metrics

import (
	"bufio"
	"slices"
	"sync"
)

// HistogramVec is a histogram per label values.
type HistogramVec struct {
	v       *vec[Histogram]
	buckets []float64
}

// Histogram counts observations into buckets by their upper bounds.
type Histogram struct {
	mu      sync.Mutex
	bounds  []float64
	counts  []uint64 // per bucket, not cumulative
	sum     float64
	samples uint64
}

// Observe records one value.
func (h *Histogram) Observe(x float64) {
	i, _ := slices.BinarySearch(h.bounds, x) // the first bound ≥ x: le is inclusive
	h.mu.Lock()
	if i < len(h.counts) {
		h.counts[i]++
	}
	h.sum += x
	h.samples++
	h.mu.Unlock()
}

// Histogram registers a histogram family with these bucket upper bounds
// (ascending; +Inf is implied) and labels.
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) *HistogramVec {
	b := slices.Clone(buckets)
	if !slices.IsSorted(b) {
		panic("metrics: " + name + ": buckets not ascending")
	}
	hv := &HistogramVec{buckets: b}
	hv.v = newVec(name, help, labels, func() *Histogram { return &Histogram{bounds: b, counts: make([]uint64, len(b))} })
	r.add(name, hv)
	return hv
}

// ExponentialBuckets returns n bounds from start, each factor times the
// one before.
func ExponentialBuckets(start, factor float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = start
		start *= factor
	}
	return out
}

// WithLabelValues is the histogram of these label values, in the order the
// family's labels were registered.
func (hv *HistogramVec) WithLabelValues(values ...string) *Histogram { return hv.v.with(values) }

func (hv *HistogramVec) write(w *bufio.Writer) error {
	first := true
	name := hv.v.name
	hv.v.each(func(values []string, h *Histogram) {
		if first {
			header(w, name, hv.v.help, "histogram")
			first = false
		}
		h.mu.Lock()
		counts, sum, n := slices.Clone(h.counts), h.sum, h.samples
		h.mu.Unlock()
		var cum uint64
		for i, b := range hv.buckets {
			cum += counts[i]
			sample(w, name+"_bucket", hv.v.labels, values, `le="`+formatFloat(b)+`"`, float64(cum))
		}
		sample(w, name+"_bucket", hv.v.labels, values, `le="+Inf"`, float64(n))
		sample(w, name+"_sum", hv.v.labels, values, "", sum)
		sample(w, name+"_count", hv.v.labels, values, "", float64(n))
	})
	return nil
}

// sortSamples sorts samples by their label values.
func sortSamples(s []Sample) {
	slices.SortStableFunc(s, func(a, b Sample) int { return slices.Compare(a.Values, b.Values) })
}
