package metrics

import (
	"bufio"
	"sync"
)

// GaugeVec is a gauge per label values.
type GaugeVec struct{ v *vec[Gauge] }

// Gauge goes up and down.
type Gauge struct {
	mu sync.Mutex
	x  float64
}

// Set sets the gauge.
func (g *Gauge) Set(x float64) {
	g.mu.Lock()
	g.x = x
	g.mu.Unlock()
}

func (g *Gauge) value() float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.x
}

// Gauge registers a gauge family with these labels.
func (r *Registry) Gauge(name, help string, labels ...string) *GaugeVec {
	gv := &GaugeVec{newVec(name, help, labels, func() *Gauge { return &Gauge{} })}
	r.add(name, gv)
	return gv
}

// WithLabelValues is the gauge of these label values, in the order the
// family's labels were registered.
func (gv *GaugeVec) WithLabelValues(values ...string) *Gauge { return gv.v.with(values) }

func (gv *GaugeVec) write(w *bufio.Writer) error {
	first := true
	gv.v.each(func(values []string, g *Gauge) {
		if first {
			header(w, gv.v.name, gv.v.help, "gauge")
			first = false
		}
		sample(w, gv.v.name, gv.v.labels, values, "", g.value())
	})
	return nil
}

// Sample is one series a collected family reads at scrape time.
type Sample struct {
	Values []string // in the order of the family's labels
	Value  float64
}

// collected is a family read at each scrape.
type collected struct {
	name, help, typ string
	labels          []string
	perm            []int
	read            func() ([]Sample, error)
}

// GaugeFunc registers a gauge without labels read at each scrape.
func (r *Registry) GaugeFunc(name, help string, f func() float64) {
	r.Collect(name, help, "gauge", nil, func() ([]Sample, error) { return []Sample{{Value: f()}}, nil })
}

// Collect registers a family of type typ (gauge or counter) whose samples
// read returns at each scrape; an error fails the scrape.
func (r *Registry) Collect(name, help, typ string, labels []string, read func() ([]Sample, error)) {
	sorted, perm := labelOrder(labels)
	r.add(name, &collected{name: name, help: help, typ: typ, labels: sorted, perm: perm, read: read})
}

func (c *collected) write(w *bufio.Writer) error {
	samples, err := c.read()
	if err != nil {
		return err
	}
	if len(samples) == 0 {
		return nil
	}
	ordered := make([]Sample, len(samples))
	for i, s := range samples {
		vs := make([]string, len(c.perm))
		for j, p := range c.perm {
			vs[j] = s.Values[p]
		}
		ordered[i] = Sample{Values: vs, Value: s.Value}
	}
	sortSamples(ordered)
	header(w, c.name, c.help, c.typ)
	for _, s := range ordered {
		sample(w, c.name, c.labels, s.Values, "", s.Value)
	}
	return nil
}
