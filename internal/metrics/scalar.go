package metrics

import (
	"bufio"
	"sync"
)

// scalar is one value behind a lock: a counter's or a gauge's.
type scalar struct {
	mu sync.Mutex
	x  float64
}

func (s *scalar) value() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.x
}

// Counter only goes up.
type Counter struct{ scalar }

// Inc adds one.
func (c *Counter) Inc() { c.Add(1) }

// Add adds d, which must not be negative.
func (c *Counter) Add(d float64) {
	if d < 0 {
		panic("metrics: a counter cannot go down")
	}
	c.mu.Lock()
	c.x += d
	c.mu.Unlock()
}

// Gauge goes up and down.
type Gauge struct{ scalar }

// Set sets the gauge.
func (g *Gauge) Set(x float64) {
	g.mu.Lock()
	g.x = x
	g.mu.Unlock()
}

// CounterVec is a counter per label values.
type CounterVec struct{ v *vec[Counter] }

// GaugeVec is a gauge per label values.
type GaugeVec struct{ v *vec[Gauge] }

// Counter registers a counter family with these labels.
func (r *Registry) Counter(name, help string, labels ...string) *CounterVec {
	cv := &CounterVec{newVec(name, help, labels, func() *Counter { return &Counter{} })}
	r.add(name, cv)
	return cv
}

// Gauge registers a gauge family with these labels.
func (r *Registry) Gauge(name, help string, labels ...string) *GaugeVec {
	gv := &GaugeVec{newVec(name, help, labels, func() *Gauge { return &Gauge{} })}
	r.add(name, gv)
	return gv
}

// WithLabelValues is the counter of these label values, in the order the
// family's labels were registered.
func (cv *CounterVec) WithLabelValues(values ...string) *Counter { return cv.v.with(values) }

// WithLabelValues is the gauge of these label values, in the order the
// family's labels were registered.
func (gv *GaugeVec) WithLabelValues(values ...string) *Gauge { return gv.v.with(values) }

func (cv *CounterVec) write(w *bufio.Writer) error {
	return writeScalars(w, cv.v, "counter", (*Counter).value)
}

func (gv *GaugeVec) write(w *bufio.Writer) error {
	return writeScalars(w, gv.v, "gauge", (*Gauge).value)
}

// writeScalars writes a counter or gauge family: nothing while it has no
// series.
func writeScalars[T any](w *bufio.Writer, v *vec[T], typ string, value func(*T) float64) error {
	first := true
	v.each(func(values []string, s *T) {
		if first {
			header(w, v.name, v.help, typ)
			first = false
		}
		sample(w, v.name, v.labels, values, "", value(s))
	})
	return nil
}
