package metrics

import (
	"bufio"
	"sync"
)

// CounterVec is a counter per label values.
type CounterVec struct{ v *vec[Counter] }

// Counter only goes up.
type Counter struct {
	mu sync.Mutex
	n  float64
}

// Inc adds one.
func (c *Counter) Inc() { c.Add(1) }

// Add adds d, which must not be negative.
func (c *Counter) Add(d float64) {
	if d < 0 {
		panic("metrics: a counter cannot go down")
	}
	c.mu.Lock()
	c.n += d
	c.mu.Unlock()
}

func (c *Counter) value() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// Counter registers a counter family with these labels.
func (r *Registry) Counter(name, help string, labels ...string) *CounterVec {
	cv := &CounterVec{newVec(name, help, labels, func() *Counter { return &Counter{} })}
	r.add(name, cv)
	return cv
}

// WithLabelValues is the counter of these label values, in the order the
// family's labels were registered.
func (cv *CounterVec) WithLabelValues(values ...string) *Counter { return cv.v.with(values) }

func (cv *CounterVec) write(w *bufio.Writer) error {
	first := true
	cv.v.each(func(values []string, c *Counter) {
		if first {
			header(w, cv.v.name, cv.v.help, "counter")
			first = false
		}
		sample(w, cv.v.name, cv.v.labels, values, "", c.value())
	})
	return nil
}
