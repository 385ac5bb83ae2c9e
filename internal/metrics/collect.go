package metrics

import "bufio"

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
